/*
 * map.c: the record's pictures, drawn on the server as SVG so that they
 * need no JavaScript: a map of north-east China and the Koreas with the
 * events as circles by city or province, and a timeline of events per
 * month by type.
 *
 * The country shapes are Natural Earth's, from the npm package world-atlas
 * (countries-50m.json, TopoJSON), read from the assets folder once and
 * turned into SVG paths for the map's box. TopoJSON stores each border
 * once as an "arc" of quantised, delta-encoded points; a country's rings
 * list its arcs by index (a negative index ~i is arc i reversed).
 */
#include "serve/map.h"

#include <geonames/geonames.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/embed.h"
#include "util/fileio.h"

/* The map's box in degrees, and its size in SVG units. */
#define LON0 112.0
#define LON1 134.0
#define LAT0 34.5
#define LAT1 48.5
#define MAP_W 660.0
/* equirectangular, x scaled by cos(41.5 degrees) so shapes look right */
#define KX (MAP_W / (LON1 - LON0))
#define KY (KX / 0.749)
#define MAP_H ((LAT1 - LAT0) * KY)

static double px(double lon) { return (lon - LON0) * KX; }
static double py(double lat) { return (LAT1 - lat) * KY; }

/* The countries drawn, by ISO numeric id in world-atlas, and their class. */
static const struct {
	const char *id, *cls;
} COUNTRIES[] = {{"156", "cn"}, {"408", "kp"}, {"410", "kr"}, {"643", "other"},
		 {"496", "other"}, {"392", "other"}};

static char *g_shapes;    /* the SVG paths, built once */
static char g_shapes_err[256];
static pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER;

/* Appends arc a (possibly reversed) to the path, clamped to a margin
 * around the box so that off-map parts stay cheap and closed. */
static void put_arc(cb_buf *b, json_t *arcs, long idx, const double sc[2], const double tr[2],
		    int *first)
{
	int rev = idx < 0;
	long a = rev ? ~idx : idx;
	json_t *arc = json_array_get(arcs, (size_t)a);
	size_t n = json_array_size(arc), i;
	double *xs, *ys, x = 0, y = 0, lastx = 1e9, lasty = 1e9;
	if (!n || !(xs = malloc(n * sizeof *xs)) || !(ys = malloc(n * sizeof *ys))) {
		if (n)
			free(xs);
		return;
	}
	for (i = 0; i < n; i++) {
		json_t *pt = json_array_get(arc, i);
		x += json_number_value(json_array_get(pt, 0));
		y += json_number_value(json_array_get(pt, 1));
		double lon = x * sc[0] + tr[0], lat = y * sc[1] + tr[1];
		if (lon < LON0 - 3)
			lon = LON0 - 3;
		if (lon > LON1 + 3)
			lon = LON1 + 3;
		if (lat < LAT0 - 3)
			lat = LAT0 - 3;
		if (lat > LAT1 + 3)
			lat = LAT1 + 3;
		xs[i] = px(lon);
		ys[i] = py(lat);
	}
	/* the first point of each arc after the first repeats the last one */
	for (size_t k = 0; k < n; k++) {
		size_t j = rev ? n - 1 - k : k;
		double qx = round(xs[j] * 10) / 10, qy = round(ys[j] * 10) / 10;
		if (fabs(qx - lastx) < 0.3 && fabs(qy - lasty) < 0.3)
			continue;
		cb_buf_printf(b, NULL, "%s%.1f %.1f", *first ? "M" : "L", qx, qy);
		*first = 0;
		lastx = qx;
		lasty = qy;
	}
	free(xs);
	free(ys);
}

static void put_ring(cb_buf *b, json_t *ring, json_t *arcs, const double sc[2], const double tr[2])
{
	size_t i;
	json_t *a;
	int first = 1;
	json_array_foreach(ring, i, a) put_arc(b, arcs, (long)json_integer_value(a), sc, tr, &first);
	if (!first)
		cb_buf_putc(b, 'Z', NULL);
}

static int build_shapes(const char *assets, cb_error *err)
{
	char path[4096], *data = NULL;
	size_t len;
	json_t *topo = NULL, *arcs, *geoms, *g;
	json_error_t je;
	double sc[2], tr[2];
	cb_buf b = CB_BUF_INIT;
	size_t i;
	int rc;

	snprintf(path, sizeof path, "%s/world-atlas/countries-50m.json", assets);
	if ((rc = cb_read_file(&data, &len, path, 64u << 20, err)) < 0)
		return rc;
	topo = json_loadb(data, len, 0, &je);
	free(data);
	if (!topo)
		return cb_fail(err, CB_EFORMAT, "%s: not JSON (%s)", path, je.text);
	arcs = json_object_get(topo, "arcs");
	geoms = json_object_get(json_object_get(json_object_get(topo, "objects"), "countries"),
				"geometries");
	json_t *t = json_object_get(topo, "transform");
	sc[0] = json_number_value(json_array_get(json_object_get(t, "scale"), 0));
	sc[1] = json_number_value(json_array_get(json_object_get(t, "scale"), 1));
	tr[0] = json_number_value(json_array_get(json_object_get(t, "translate"), 0));
	tr[1] = json_number_value(json_array_get(json_object_get(t, "translate"), 1));
	if (!json_is_array(arcs) || !json_is_array(geoms) || sc[0] == 0 || sc[1] == 0) {
		json_decref(topo);
		return cb_fail(err, CB_EFORMAT, "%s: not the world-atlas TopoJSON expected", path);
	}
	/* others first, so the countries that matter draw on top */
	for (int pass = 0; pass < 2; pass++)
		json_array_foreach(geoms, i, g) {
			const char *id = json_string_value(json_object_get(g, "id")), *cls = NULL;
			const char *type = json_string_value(json_object_get(g, "type"));
			json_t *ga = json_object_get(g, "arcs"), *poly, *ring;
			size_t k, m;
			for (size_t c = 0; id && c < sizeof COUNTRIES / sizeof *COUNTRIES; c++)
				if (!strcmp(id, COUNTRIES[c].id))
					cls = COUNTRIES[c].cls;
			if (!cls || !type || (pass == 0) != !strcmp(cls, "other"))
				continue;
			cb_buf_printf(&b, NULL, "<path class=\"land %s\" d=\"", cls);
			if (!strcmp(type, "Polygon"))
				json_array_foreach(ga, k, ring) put_ring(&b, ring, arcs, sc, tr);
			else if (!strcmp(type, "MultiPolygon"))
				json_array_foreach(ga, k, poly) json_array_foreach(poly, m, ring)
					put_ring(&b, ring, arcs, sc, tr);
			cb_buf_puts(&b, "\"/>\n", NULL);
		}
	json_decref(topo);
	if (!b.ptr)
		return cb_fail(err, CB_ENOMEM, "out of memory");
	g_shapes = cb_buf_detach(&b);
	return CB_OK;
}

void cb_map_cleanup(void)
{
	pthread_mutex_lock(&g_lock);
	free(g_shapes);
	g_shapes = NULL;
	g_shapes_err[0] = '\0';
	pthread_mutex_unlock(&g_lock);
}

/* ---- where events are ------------------------------------------------- */

static int centroid(const char *admin1, double *lon, double *lat)
{
	const cb_embedded *e = cb_embedded_find("gazetteer/centroids.tsv");
	const char *p, *end;
	size_t al;
	if (!e || !admin1)
		return -1;
	al = strlen(admin1);
	for (p = (const char *)e->data, end = p + e->len; p < end;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t ll = nl ? (size_t)(nl - p) : (size_t)(end - p);
		if (ll > al && *p != '#' && !strncasecmp(p, admin1, al) && p[al] == '\t') {
			char line[128];
			char name[64], cc[8];
			snprintf(line, sizeof line, "%.*s", (int)(ll < 127 ? ll : 127), p);
			if (sscanf(line, "%63[^\t]\t%7[^\t]\t%lf\t%lf", name, cc, lon, lat) == 4)
				return 0;
		}
		p += ll + 1;
	}
	return -1;
}

/* A city's coordinates from libgeonames, if it is in the region. */
static int city_coords(const char *place, const char *country, double *lon, double *lat)
{
	int n = geonames_get_n_cities(), found = -1;
	long best = -1;
	if (!place || !*place)
		return -1;
	for (int i = 0; i < n; i++) {
		GeonamesCity *c = geonames_get_city(i);
		if (!c)
			continue;
		const char *name = geonames_city_get_name(c), *cc = geonames_city_get_country_code(c);
		if (name && !strcasecmp(name, place) && (!country || (cc && !strcmp(cc, country)))) {
			long pop = (long)geonames_city_get_population(c);
			if (pop > best) {
				best = pop;
				*lon = geonames_city_get_longitude(c);
				*lat = geonames_city_get_latitude(c);
				found = 0;
			}
		}
		geonames_city_free(c);
	}
	return found;
}

typedef struct spot {
	char label[96];
	double lon, lat;
	int count;
	int city;
} spot;

int cb_map_svg(cb_buf *out, const char *assets, json_t *events, cb_error *err)
{
	spot *spots = NULL;
	size_t nspots = 0, cap = 0, i, elsewhere = 0, unplaced = 0;
	json_t *e;
	int rc = CB_OK, have_shapes;

	pthread_mutex_lock(&g_lock);
	if (!g_shapes && !g_shapes_err[0]) {
		cb_error e2 = CB_ERROR_INIT;
		if (build_shapes(assets, &e2) < 0)
			snprintf(g_shapes_err, sizeof g_shapes_err, "%.200s", e2.msg);
	}
	have_shapes = g_shapes != NULL;

	/* events grouped by city (when its coordinates are known) or province */
	json_array_foreach(events, i, e) {
		json_t *loc = json_object_get(e, "location");
		const char *place = json_string_value(json_object_get(loc, "place"));
		const char *admin1 = json_string_value(json_object_get(loc, "admin1"));
		const char *cc = json_string_value(json_object_get(loc, "country"));
		double lon, lat;
		char label[96];
		int city = 0;
		if (place && city_coords(place, cc, &lon, &lat) == 0) {
			snprintf(label, sizeof label, "%s", place);
			city = 1;
		} else if (admin1 && centroid(admin1, &lon, &lat) == 0) {
			snprintf(label, sizeof label, "%s (province)", admin1);
		} else {
			if (place || admin1 || cc)
				elsewhere++;
			else
				unplaced++;
			continue;
		}
		if (lon < LON0 || lon > LON1 || lat < LAT0 || lat > LAT1) {
			elsewhere++;
			continue;
		}
		size_t k;
		for (k = 0; k < nspots && strcmp(spots[k].label, label); k++)
			;
		if (k == nspots) {
			if (nspots == cap) {
				spot *ns = realloc(spots, (cap = cap ? cap * 2 : 16) * sizeof *ns);
				if (!ns) {
					rc = cb_fail(err, CB_ENOMEM, "out of memory");
					goto done;
				}
				spots = ns;
			}
			memset(&spots[k], 0, sizeof spots[k]);
			snprintf(spots[k].label, sizeof spots[k].label, "%s", label);
			spots[k].lon = lon;
			spots[k].lat = lat;
			spots[k].city = city;
			nspots++;
		}
		spots[k].count++;
	}

	cb_buf_printf(out, err,
		      "<figure class=\"map\"><svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %.0f %.0f\" "
		      "role=\"img\" aria-labelledby=\"map-title\"><title id=\"map-title\">Events by city or "
		      "province, north-east China and the Koreas</title>"
		      "<rect class=\"sea\" width=\"%.0f\" height=\"%.0f\"/>\n",
		      MAP_W, MAP_H, MAP_W, MAP_H);
	if (have_shapes)
		cb_buf_puts(out, g_shapes, err);
	for (i = 0; i < nspots; i++) {
		double r = 3 + 3 * sqrt((double)spots[i].count);
		cb_buf_printf(out, err,
			      "<circle class=\"spot%s\" cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\"><title>",
			      spots[i].city ? " city" : " province", px(spots[i].lon), py(spots[i].lat), r);
		cb_html_escape(out, spots[i].label, err);
		cb_buf_printf(out, err, ": %d event%s</title></circle>", spots[i].count,
			      spots[i].count == 1 ? "" : "s");
		cb_buf_printf(out, err, "<text class=\"spot-label\" x=\"%.1f\" y=\"%.1f\">",
			      px(spots[i].lon) + r + 2, py(spots[i].lat) + 4);
		cb_html_escape(out, spots[i].city ? spots[i].label : "", err);
		cb_buf_puts(out, "</text>\n", err);
	}
	cb_buf_puts(out, "</svg><figcaption>", err);
	if (!have_shapes) {
		cb_buf_puts(out, "Country shapes unavailable (", err);
		cb_html_escape(out, g_shapes_err, err);
		cb_buf_puts(out, "): run <code>npm ci</code> in <code>web/</code>. ", err);
	} else {
		cb_buf_puts(out, "Shapes: Natural Earth (world-atlas). ", err);
	}
	cb_buf_printf(out, err,
		      "Circles: events by city, or by province where no city is known; area grows "
		      "with the count. Outside this map: %zu; without a place: %zu.</figcaption></figure>\n",
		      elsewhere, unplaced);
done:
	pthread_mutex_unlock(&g_lock);
	free(spots);
	return rc;
}

/* ---- timeline ------------------------------------------------------------ */

static const char *const TYPES[] = {"trafficking", "arrest", "detention", "interrogation",
				    "surveillance", "sentencing", "repatriation", "abuse",
				    "escape", "release", "policy", "death"};
#define NTYPES (sizeof TYPES / sizeof *TYPES)

int cb_timeline_svg(cb_buf *out, json_t *events, cb_error *err)
{
	int y0 = 9999, y1 = 0, m0 = 0, m1 = 0, months, maxc = 1;
	int (*counts)[NTYPES] = NULL;
	size_t i;
	json_t *e;
	int undated = 0;
	const double W = 660, H = 220, L = 34, B = 24;

	json_array_foreach(events, i, e) {
		const char *d = json_string_value(json_object_get(json_object_get(e, "date"), "start"));
		int y, m;
		if (!d || sscanf(d, "%4d-%2d", &y, &m) != 2 || m < 1 || m > 12 || y < 1900 || y > 2200) {
			undated++;
			continue;
		}
		if (y * 12 + m < y0 * 12 + m0 || y0 == 9999)
			y0 = y, m0 = m;
		if (y * 12 + m > y1 * 12 + m1)
			y1 = y, m1 = m;
	}
	if (y0 == 9999) {
		return cb_buf_printf(out, err,
				     "<p class=\"empty\">No dated events to draw (%d undated).</p>\n",
				     undated);
	}
	months = (y1 * 12 + m1) - (y0 * 12 + m0) + 1;
	if (months > 600) { /* at most 50 years: the rest is cut */
		y0 = y1 - 50;
		m0 = m1;
		months = 601;
	}
	if (!(counts = calloc((size_t)months, sizeof *counts)))
		return cb_fail(err, CB_ENOMEM, "out of memory");
	json_array_foreach(events, i, e) {
		const char *d = json_string_value(json_object_get(json_object_get(e, "date"), "start"));
		const char *type = json_string_value(json_object_get(e, "type"));
		int y, m, k, t, tot = 0;
		if (!d || !type || sscanf(d, "%4d-%2d", &y, &m) != 2)
			continue;
		k = (y * 12 + m) - (y0 * 12 + m0);
		if (k < 0 || k >= months)
			continue;
		for (t = 0; t < (int)NTYPES && strcmp(TYPES[t], type); t++)
			;
		if (t == (int)NTYPES)
			continue;
		counts[k][t]++;
		for (size_t u = 0; u < NTYPES; u++)
			tot += counts[k][u];
		if (tot > maxc)
			maxc = tot;
	}
	/* a few months must not make bars as wide as the chart */
	double bw = (W - L - 4) / months;
	if (bw > 24)
		bw = 24;
	cb_buf_printf(out, err,
		      "<figure class=\"timeline\"><svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %.0f %.0f\" "
		      "role=\"img\" aria-labelledby=\"tl-title\"><title id=\"tl-title\">Events per month by type, "
		      "%04d-%02d to %04d-%02d</title>",
		      W, H, y0, m0, y1, m1);
	cb_buf_printf(out, err,
		      "<line class=\"axis\" x1=\"%.0f\" y1=\"%.0f\" x2=\"%.0f\" y2=\"%.0f\"/>"
		      "<text class=\"tick\" x=\"%.0f\" y=\"%.0f\" text-anchor=\"end\">%d</text>"
		      "<text class=\"tick\" x=\"%.0f\" y=\"%.0f\" text-anchor=\"end\">0</text>",
		      L, H - B, W - 2, H - B, L - 4, 12.0, maxc, L - 4, H - B);
	for (int k = 0; k < months; k++) {
		double y = H - B;
		for (size_t t = 0; t < NTYPES; t++) {
			int c = counts[k][t];
			if (!c)
				continue;
			double h = (H - B - 8) * c / maxc;
			y -= h;
			cb_buf_printf(out, err,
				      "<rect class=\"t-%s\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\">"
				      "<title>%04d-%02d %s: %d</title></rect>",
				      TYPES[t], L + k * bw + 0.5, y, bw > 2 ? bw - 1 : bw, h,
				      y0 + (m0 - 1 + k) / 12, (m0 - 1 + k) % 12 + 1, TYPES[t], c);
		}
		int mm = (m0 - 1 + k) % 12 + 1;
		if (mm == 1 || k == 0)
			cb_buf_printf(out, err,
				      "<text class=\"tick\" x=\"%.1f\" y=\"%.0f\">%04d</text>", L + k * bw,
				      H - 6, y0 + (m0 - 1 + k) / 12);
	}
	cb_buf_puts(out, "</svg><figcaption class=\"legend\">", err);
	for (size_t t = 0; t < NTYPES; t++)
		cb_buf_printf(out, err, "<span class=\"key t-%s\">%s</span> ", TYPES[t], TYPES[t]);
	cb_buf_printf(out, err, "%s%d undated.</figcaption></figure>\n", undated ? "" : "", undated);
	free(counts);
	return CB_OK;
}
