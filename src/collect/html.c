/*
 * html.c: a report's text and metadata from an HTML page (libxml2).
 *
 * Parsing: libxml2's forgiving HTML parser (RECOVER), with no network and no
 * error output. Pages are taken as UTF-8 unless they declare another charset
 * in their first bytes, in which case libxml2 converts; either way the text
 * that comes out is UTF-8. A page taken as UTF-8 must be valid UTF-8, and is
 * refused with the byte offset otherwise, exactly like a .txt file.
 *
 * Main text: the <article> with the most text, unless it lies outside
 * <main> or holds under a fifth of the text around it (then it is a teaser
 * card); else <main> (or role="main"), else <body>. Inside it the page furniture (script, style,
 * nav, aside, form, footer, ...) is skipped. Block elements end paragraphs,
 * which are separated by blank lines; <br> ends a line; runs of white space
 * inside a paragraph collapse to one space as a browser shows them. The tree
 * is walked without recursion, so a hostile page nested a million deep costs
 * time proportional to its size and no stack; elements deeper than
 * CB_HTML_MAX_DEPTH are skipped all the same, as no real page has them.
 *
 * Metadata, each from the first source that has it:
 *   title      og:title (no "| Site name" tail, unlike most <title>s), <title>
 *              (its " | Site name" tail cut), the first <h1> of the text
 *   site name  og:site_name, application-name
 *   published  article:published_time, og:article:published_time,
 *              itemprop=datePublished, JSON-LD "datePublished",
 *              DC.date.issued, pubdate, publishdate, date, DC.date,
 *              the first <time datetime> inside the main text
 *   canonical  <link rel=canonical>, og:url
 * A date is kept only if it starts with a valid YYYY-MM-DD (or YYYY/MM/DD or
 * YYYYMMDD) and is stored as YYYY-MM-DD; the time of day and zone are
 * dropped, as casebook dates events by day.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/HTMLparser.h>
#include <libxml/xmlerror.h>
#include <libxml/tree.h>

#include "collect/collect_int.h"
#include "util/buf.h"
#include "util/utf8.h"

#define CB_HTML_MAX_DEPTH 1024
/* Each <article> is measured to pick the main one; a page with thousands
 * (or thousands nested) would make that quadratic. */
#define CB_HTML_MAX_ARTICLES 64
/* The biggest <article> is taken for the story unless the text around it
 * is more than this many times its size. */
#define CB_HTML_ARTICLE_SHARE 5
/* Meta values (titles, site names, URLs) longer than this are clutter or
 * an attack, not metadata. */
#define CB_HTML_META_MAX 2048

static const char *const skipped_elements[] = {
	"script", "style", "nav", "aside", "form", "noscript", "template", "iframe", "svg",
	"button", "select", "textarea", "object", "embed", "canvas", "head", "title", "math",
	NULL};

static const char *const block_elements[] = {
	"p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul",
	"ol", "blockquote", "pre", "table", "tr", "dl", "dt", "dd", "figure", "figcaption",
	"address", "hr", "header", "footer", "center", "details", "summary", "caption", "thead",
	"tbody", "tfoot", "body", "html", NULL};

/* Meta sources of the publication date, best first. */
static const char *const date_metas[] = {
	"article:published_time", "og:article:published_time", "datepublished",
	"dc.date.issued", "dcterms.issued", "pubdate", "publishdate", "date", "dc.date", NULL};

static int in_list(const char *const *list, const char *s)
{
	for (; *list; list++)
		if (!strcmp(*list, s))
			return 1;
	return 0;
}

/* A copy of an attribute's value (caller frees with free()), or NULL. */
static char *attr(const xmlNode *n, const char *name)
{
	xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
	char *copy = v ? strdup((const char *)v) : NULL;
	xmlFree(v);
	return copy;
}

/* Compares an attribute's value without copying it, as this runs on every
 * element of the page. */
static int attr_is(const xmlNode *n, const char *name, const char *value)
{
	const xmlAttr *a;

	for (a = n->properties; a; a = a->next)
		if (a->name && !strcmp((const char *)a->name, name))
			break;
	if (!a)
		return 0;
	if (a->children && !a->children->next && a->children->type == XML_TEXT_NODE &&
	    a->children->content)
		return !strcasecmp((const char *)a->children->content, value);
	{
		xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
		int yes = v && !strcasecmp((const char *)v, value);
		xmlFree(v);
		return yes;
	}
}

/* White space collapsed and trimmed, in place. NULL stays NULL; an empty or
 * over-long result becomes NULL (and is freed). */
static char *tidy(char *s)
{
	size_t n = 0;
	int space = 0;

	if (!s)
		return NULL;
	for (size_t i = 0; s[i]; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
			space = n > 0;
			continue;
		}
		if (space)
			s[n++] = ' ';
		space = 0;
		s[n++] = (char)c;
	}
	s[n] = '\0';
	if (n == 0 || n > CB_HTML_META_MAX) {
		free(s);
		return NULL;
	}
	return s;
}

/* YYYY-MM-DD from the start of s, or NULL. */
static char *iso_date(const char *s)
{
	int y, m, d;
	char out[32];

	if (!s)
		return NULL;
	while (isspace((unsigned char)*s))
		s++;
	for (int i = 0; i < 4; i++)
		if (!isdigit((unsigned char)s[i]))
			return NULL;
	y = atoi(s);
	if ((s[4] == '-' || s[4] == '/' || s[4] == '.') && isdigit((unsigned char)s[5]) &&
	    isdigit((unsigned char)s[6]) && s[7] == s[4] && isdigit((unsigned char)s[8]) &&
	    isdigit((unsigned char)s[9])) {
		m = (s[5] - '0') * 10 + (s[6] - '0');
		d = (s[8] - '0') * 10 + (s[9] - '0');
		if (isdigit((unsigned char)s[10]))
			return NULL;
	} else if (isdigit((unsigned char)s[4]) && isdigit((unsigned char)s[5]) &&
		   isdigit((unsigned char)s[6]) && isdigit((unsigned char)s[7]) &&
		   !isdigit((unsigned char)s[8])) {
		m = (s[4] - '0') * 10 + (s[5] - '0');
		d = (s[6] - '0') * 10 + (s[7] - '0');
	} else {
		return NULL;
	}
	{
		static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
		int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
		if (y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1] ||
		    (m == 2 && d == 29 && !leap))
			return NULL;
	}
	snprintf(out, sizeof out, "%04d-%02d-%02d", y, m, d);
	return strdup(out);
}

/* The "datePublished" of a JSON-LD block, if it is written simply
 * ("datePublished": "2023-03-04..."); anything cleverer is left alone
 * rather than parsed with a full JSON parser for one field. */
static char *jsonld_date(const char *json)
{
	const char *p = json;

	while ((p = strstr(p, "\"datePublished\""))) {
		p += strlen("\"datePublished\"");
		while (isspace((unsigned char)*p))
			p++;
		if (*p != ':')
			continue;
		p++;
		while (isspace((unsigned char)*p))
			p++;
		if (*p == '"')
			return iso_date(p + 1);
	}
	return NULL;
}

struct meta {
	char *og_title, *title, *site, *app_name, *canonical, *og_url;
	char *dates[sizeof date_metas / sizeof *date_metas]; /* by rank */
	char *jsonld;
	xmlNode *main;
	size_t main_text; /* text bytes of the best <article> so far */
	xmlNode *main_elem, *body;
	int articles;
};

static void set_once(char **slot, char *value)
{
	if (!*slot)
		*slot = value;
	else
		free(value);
}

/* Text bytes under n (outside skipped elements), for picking the article. */
static size_t text_size(xmlNode *n)
{
	size_t total = 0;
	xmlNode *cur = n->children;

	while (cur && cur != n) {
		if (cur->type == XML_TEXT_NODE && cur->content)
			total += strlen((const char *)cur->content);
		if (cur->type == XML_ELEMENT_NODE && cur->children &&
		    !in_list(skipped_elements, (const char *)cur->name)) {
			cur = cur->children;
			continue;
		}
		while (cur != n && !cur->next)
			cur = cur->parent;
		if (cur == n)
			break;
		cur = cur->next;
	}
	return total;
}

static void look_at(struct meta *m, xmlNode *n)
{
	const char *name = (const char *)n->name;

	if (!strcmp(name, "meta")) {
		char *key = attr(n, "property"), *content;
		if (!key)
			key = attr(n, "name");
		if (!key)
			key = attr(n, "itemprop");
		if (!key)
			return;
		for (char *k = key; *k; k++)
			*k = (char)tolower((unsigned char)*k);
		content = attr(n, "content");
		if (!content) {
			free(key);
			return;
		}
		if (!strcmp(key, "og:title"))
			set_once(&m->og_title, tidy(content));
		else if (!strcmp(key, "og:site_name"))
			set_once(&m->site, tidy(content));
		else if (!strcmp(key, "application-name"))
			set_once(&m->app_name, tidy(content));
		else if (!strcmp(key, "og:url"))
			set_once(&m->og_url, tidy(content));
		else {
			int rank = -1;
			for (int i = 0; date_metas[i]; i++)
				if (!strcmp(key, date_metas[i]))
					rank = i;
			if (rank >= 0)
				set_once(&m->dates[rank], iso_date(content));
			free(content);
		}
		free(key);
	} else if (!strcmp(name, "title")) {
		if (!m->title) {
			xmlChar *t = xmlNodeGetContent(n);
			m->title = tidy(t ? strdup((const char *)t) : NULL);
			xmlFree(t);
		}
	} else if (!strcmp(name, "link")) {
		if (!m->canonical && attr_is(n, "rel", "canonical"))
			m->canonical = tidy(attr(n, "href"));
	} else if (!strcmp(name, "script")) {
		if (!m->jsonld && attr_is(n, "type", "application/ld+json")) {
			xmlChar *t = xmlNodeGetContent(n);
			m->jsonld = t ? jsonld_date((const char *)t) : NULL;
			xmlFree(t);
		}
	} else if (!strcmp(name, "time")) {
		/* A <time itemprop="datePublished"> counts like the meta. */
		if (attr_is(n, "itemprop", "datePublished")) {
			char *dt = attr(n, "datetime");
			set_once(&m->dates[2], iso_date(dt));
			free(dt);
		}
	} else if (!strcmp(name, "article") && m->articles++ < CB_HTML_MAX_ARTICLES) {
		size_t t = text_size(n);
		if (!m->main || t > m->main_text) {
			m->main = n;
			m->main_text = t;
		}
	} else if (!strcmp(name, "main") || attr_is(n, "role", "main")) {
		if (!m->main_elem)
			m->main_elem = n;
	} else if (!strcmp(name, "body")) {
		if (!m->body)
			m->body = n;
	}
}

/*
 * The walk. Both passes go over the tree with parent/next pointers instead
 * of recursion: the metadata pass looks at every element, the text pass
 * descends only into elements text_enter() accepts.
 */
struct text_out {
	cb_buf buf;
	int pending; /* what separates the next text from the last: 0 nothing,
		      * 1 a space, 2 a line break, 3 a blank line */
	int pre;     /* inside <pre>: white space kept */
	int drop_header;
	char *time_date; /* the first <time datetime> of the main text, as a date */
	char *h1;        /* the first <h1> of the main text, the title of last resort */
	cb_error *err;
	int rc;
};

static void need(struct text_out *o, int sep)
{
	if (o->pending < sep)
		o->pending = sep;
}

static void put(struct text_out *o, const char *s, size_t n)
{
	if (o->rc < 0 || n == 0)
		return;
	if (o->buf.len > 0 && o->pending) {
		static const char *const seps[] = {"", " ", "\n", "\n\n"};
		if ((o->rc = cb_buf_puts(&o->buf, seps[o->pending], o->err)) < 0)
			return;
	}
	o->pending = 0;
	o->rc = cb_buf_put(&o->buf, s, n, o->err);
}

/* Appends a text node's content, collapsing white space (and no-break
 * spaces, which pages use as layout) unless inside <pre>. */
static void put_text(struct text_out *o, const char *s)
{
	size_t i = 0, start;

	if (o->pre) {
		/* Line structure is the point of <pre>: keep it. */
		put(o, s, strlen(s));
		return;
	}
	while (s[i]) {
		for (;;) {
			unsigned char c = (unsigned char)s[i];
			if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
				i++;
			} else if (c == 0xC2 && (unsigned char)s[i + 1] == 0xA0) {
				i += 2;
			} else {
				break;
			}
			need(o, 1);
		}
		start = i;
		while (s[i]) {
			unsigned char c = (unsigned char)s[i];
			if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v' ||
			    (c == 0xC2 && (unsigned char)s[i + 1] == 0xA0))
				break;
			i++;
		}
		put(o, s + start, i - start);
	}
}

static int text_enter(struct text_out *o, xmlNode *n)
{
	const char *name = (const char *)n->name;

	if (in_list(skipped_elements, name) || !strcmp(name, "footer") ||
	    (o->drop_header && !strcmp(name, "header")) || xmlHasProp(n, (const xmlChar *)"hidden"))
		return 0;
	if (!strcmp(name, "br")) {
		need(o, 2);
		return 0;
	}
	if (!strcmp(name, "td") || !strcmp(name, "th"))
		need(o, 1);
	else if (in_list(block_elements, name))
		need(o, 3);
	if (!strcmp(name, "pre"))
		o->pre++;
	if (!o->h1 && !strcmp(name, "h1")) {
		xmlChar *t = xmlNodeGetContent(n);
		o->h1 = tidy(t ? strdup((const char *)t) : NULL);
		xmlFree(t);
	}
	if (!o->time_date && !strcmp(name, "time")) {
		char *dt = attr(n, "datetime");
		o->time_date = iso_date(dt);
		free(dt);
	}
	return 1;
}

static void text_leave(struct text_out *o, xmlNode *n)
{
	const char *name = (const char *)n->name;

	if (in_list(block_elements, name))
		need(o, 3);
	if (!strcmp(name, "pre") && o->pre > 0)
		o->pre--;
}

/* Walks the subtree under root. For the text pass out is set and meta is
 * not; for the metadata pass the other way round. */
static void walk(xmlNode *root, struct meta *meta, struct text_out *out)
{
	xmlNode *cur = root->children;
	int depth = 1;

	while (cur) {
		int descend = 0;
		if (cur->type == XML_ELEMENT_NODE && cur->name) {
			if (meta) {
				look_at(meta, cur);
				descend = 1;
			} else {
				descend = text_enter(out, cur);
				if (descend && !(cur->children && depth < CB_HTML_MAX_DEPTH)) {
					text_leave(out, cur);
					descend = 0;
				}
			}
			if (descend && cur->children && depth < CB_HTML_MAX_DEPTH) {
				cur = cur->children;
				depth++;
				continue;
			}
		} else if (out && cur->type == XML_TEXT_NODE && cur->content) {
			put_text(out, (const char *)cur->content);
		}
		while (!cur->next) {
			cur = cur->parent;
			depth--;
			if (!cur || cur == root || depth <= 0)
				return;
			if (out)
				text_leave(out, cur);
		}
		cur = cur->next;
	}
}

/* The charset a page declares in its first bytes (<meta charset=...> or the
 * http-equiv form), lower-cased into out, or "" if none. */
static void declared_charset(char *out, size_t cap, const char *data, size_t len)
{
	size_t lim = len < 4096 ? len : 4096;

	out[0] = '\0';
	for (size_t i = 0; i + 7 < lim; i++) {
		size_t j = i + 7, n = 0;
		if (strncasecmp(data + i, "charset", 7))
			continue;
		while (j < lim && (data[j] == ' ' || data[j] == '\t'))
			j++;
		if (j >= lim || data[j] != '=')
			continue;
		j++;
		while (j < lim && (data[j] == ' ' || data[j] == '"' || data[j] == '\''))
			j++;
		while (j < lim && n + 1 < cap &&
		       (isalnum((unsigned char)data[j]) || strchr("-_.:", data[j])))
			out[n++] = (char)tolower((unsigned char)data[j++]);
		out[n] = '\0';
		return;
	}
}

static void meta_free(struct meta *m)
{
	free(m->og_title);
	free(m->title);
	free(m->site);
	free(m->app_name);
	free(m->canonical);
	free(m->og_url);
	free(m->jsonld);
	for (size_t i = 0; i < sizeof m->dates / sizeof *m->dates; i++)
		free(m->dates[i]);
}

/* "Seven held in Yanji | Example News" -> "Seven held in Yanji" when the
 * site is called Example News: the tail is the site's, not the report's. */
static void drop_site_tail(char *title, const char *site)
{
	size_t t = strlen(title), n = strlen(site), sep = 0;

	if (t <= n + 3 || strcmp(title + t - n, site))
		return;
	t -= n;
	while (t > 0 && title[t - 1] == ' ')
		t--;
	if (t > 0 && strchr("|-:", title[t - 1]))
		sep = 1;
	else if (t >= 3 && (!strncmp(title + t - 3, "\xe2\x80\x94", 3) || /* em dash */
			    !strncmp(title + t - 3, "\xe2\x80\x93", 3)))  /* en dash */
		sep = 3;
	if (!sep)
		return;
	t -= sep;
	while (t > 0 && title[t - 1] == ' ')
		t--;
	if (t > 0)
		title[t] = '\0';
}

static int is_inside(const xmlNode *n, const xmlNode *ancestor)
{
	for (; n; n = n->parent)
		if (n == ancestor)
			return 1;
	return 0;
}

static void take(char **dst, char **src)
{
	*dst = *src;
	*src = NULL;
}

static void quiet(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

int cb_html_extract(cb_collected *c, const char *name, const char *data, size_t len,
		    cb_error *err)
{
	const unsigned char *u = (const unsigned char *)data;
	htmlParserCtxtPtr ctxt = NULL;
	htmlDocPtr doc = NULL;
	struct meta m;
	struct text_out o;
	xmlNode *root;
	char charset[40];
	const char *encoding = "UTF-8";
	int rc = CB_OK;

	memset(&m, 0, sizeof m);
	memset(&o, 0, sizeof o);
	cb_buf_init(&o.buf, len * 2 + 4096);
	o.err = err;
	if (len == 0) {
		rc = cb_fail(err, CB_EFORMAT, "%s: empty file", name);
		goto done;
	}
	if (memchr(data, 0, len)) {
		rc = cb_fail(err, CB_EFORMAT, "%s: binary file (NUL byte at byte %zu)", name,
			     (size_t)((const char *)memchr(data, 0, len) - data));
		goto done;
	}
	if (len >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF) {
		data += 3;
		len -= 3;
	}
	declared_charset(charset, sizeof charset, data, len);
	if (charset[0] && strcmp(charset, "utf-8") && strcmp(charset, "utf8")) {
		encoding = NULL; /* libxml2 follows the page's declaration */
	} else {
		size_t bad = cb_utf8_invalid_at(data, len);
		if (bad < len) {
			rc = cb_fail(err, CB_EFORMAT, "%s: invalid UTF-8 at byte %zu", name,
				     bad + (size_t)(data - (const char *)u));
			goto done;
		}
		if (cb_text_is_blank(data, len)) {
			rc = cb_fail(err, CB_EFORMAT, "%s: empty file (only white space)", name);
			goto done;
		}
	}
	if (len > (size_t)2147483647) {
		rc = cb_fail(err, CB_ETOOBIG, "%s: too big for the HTML parser", name);
		goto done;
	}
	xmlInitParser();
	if (!(ctxt = htmlNewParserCtxt())) {
		rc = cb_fail(err, CB_ENOMEM, "%s: out of memory", name);
		goto done;
	}
	{
		/* Encoding errors bypass the parser's NOERROR and go to
		 * libxml2's generic handler (stderr): silenced for the parse,
		 * then put back (the handler is per thread). */
		xmlGenericErrorFunc old = xmlGenericError;
		void *old_ctx = xmlGenericErrorContext;
		xmlSetGenericErrorFunc(NULL, quiet);
		doc = htmlCtxtReadMemory(ctxt, data, (int)len, NULL, encoding,
					 HTML_PARSE_RECOVER | HTML_PARSE_NOERROR |
						 HTML_PARSE_NOWARNING | HTML_PARSE_NONET);
		xmlSetGenericErrorFunc(old_ctx, old);
	}
	if (ctxt->disableSAX && ctxt->instate == XML_PARSER_EOF) {
		/* libxml2 gave up part-way (past its nesting limit of 256
		 * elements, for one): what it built is cut short, and a report
		 * silently missing its end is worse than a refused one. */
		char why[200];
		snprintf(why, sizeof why, "%s",
			 ctxt->lastError.message ? ctxt->lastError.message : "unknown error");
		why[strcspn(why, "\n")] = '\0';
		if (!strncmp(why, "Excessive depth", 15))
			snprintf(why, sizeof why, "elements nested more than 256 deep");
		rc = cb_fail(err, CB_EFORMAT, "%s: malformed HTML, parser stopped: %s", name, why);
		goto done;
	}
	if (ctxt->errNo == XML_ERR_INVALID_ENCODING || ctxt->errNo == XML_I18N_CONV_FAILED ||
	    ctxt->errNo == XML_IO_ENCODER) {
		/* libxml2 drops the rest of a page at the first byte its
		 * converter rejects; refused like invalid UTF-8 is. */
		rc = cb_fail(err, CB_EFORMAT, "%s: bytes not valid in the declared charset %s", name,
			     charset[0] ? charset : "(unknown)");
		goto done;
	}
	if (!doc || !(root = xmlDocGetRootElement(doc))) {
		rc = cb_fail(err, CB_EFORMAT, "%s: no text found (not parseable as HTML)", name);
		goto done;
	}
	/* From the document node, whose layout starts like a node's, so that
	 * the root element itself is looked at too. */
	walk((xmlNode *)doc, &m, NULL);
	{
		xmlNode *from = m.main ? m.main : m.main_elem ? m.main_elem : m.body ? m.body : root;
		/* An <article> outside <main> is a teaser in a sidebar, not the
		 * story, and so is one holding a small part of the text around
		 * it (a "related story" card among the paragraphs of the real
		 * one): the container wins then. */
		xmlNode *container = m.main_elem ? m.main_elem : m.body;
		if (m.main && container &&
		    (!is_inside(m.main, container) ||
		     m.main_text * CB_HTML_ARTICLE_SHARE < text_size(container))) {
			from = container;
			m.main = NULL;
		}
		o.drop_header = !m.main && !m.main_elem;
		if (from == m.main) {
			/* The headline and byline of an article are often in its
			 * <header>; kept. */
			o.drop_header = 0;
		}
		walk(from, NULL, &o);
		if ((rc = o.rc) < 0) {
			cb_error_prefix(err, "%s", name);
			goto done;
		}
	}
	if (o.buf.len == 0 || cb_text_is_blank(o.buf.ptr, o.buf.len)) {
		rc = cb_fail(err, CB_EFORMAT, "%s: no text found", name);
		goto done;
	}
	if (cb_utf8_invalid_at(o.buf.ptr, o.buf.len) < o.buf.len) {
		rc = cb_fail(err, CB_EFORMAT, "%s: text converted from %s is not valid UTF-8", name,
			     charset);
		goto done;
	}
	if ((rc = cb_text_normalize(&c->text, &c->len, name, o.buf.ptr, o.buf.len, err)) < 0)
		goto done;
	take(&c->title, m.og_title ? &m.og_title : m.title ? &m.title : &o.h1);
	take(&c->site_name, m.site ? &m.site : &m.app_name);
	if (c->title && c->site_name)
		drop_site_tail(c->title, c->site_name);
	take(&c->canonical_url, m.canonical ? &m.canonical : &m.og_url);
	for (size_t i = 0; i < sizeof m.dates / sizeof *m.dates && !c->published; i++) {
		if (i == 3 && m.jsonld)
			take(&c->published, &m.jsonld); /* JSON-LD ranks after itemprop */
		else if (m.dates[i])
			take(&c->published, &m.dates[i]);
	}
	if (!c->published && m.jsonld)
		take(&c->published, &m.jsonld);
	if (!c->published)
		take(&c->published, &o.time_date);
done:
	if (doc)
		xmlFreeDoc(doc);
	if (ctxt)
		htmlFreeParserCtxt(ctxt);
	meta_free(&m);
	cb_buf_free(&o.buf);
	free(o.time_date);
	free(o.h1);
	return rc;
}
