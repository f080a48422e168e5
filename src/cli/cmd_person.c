/* cmd_person.c: casebook person add|list|show|reseal - people by pseudonym,
 * their identities sealed to owners and editors (store/persons.c). */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/commands.h"

static const char USAGE[] =
	"usage: casebook person add [--given X] [--family X] [--birth YYYY[-MM[-DD]]] [--town X]\n"
	"                           [--contact X] [--event ID --role R]\n"
	"       casebook person link PSEUDONYM --event ID --role R\n"
	"       casebook person list [--format table|json]\n"
	"       casebook person show PSEUDONYM [--format text|json]\n"
	"       casebook person reseal\n"
	"   (each with [--store DIR] [--user NAME])\n"
	"\n"
	"A person appears in the record by a pseudonym (P-XXXXXXXX) only. What\n"
	"identifies them - names, birth date, home town, contact - is sealed to the\n"
	"owners and editors: viewers see pseudonyms, and names in evidence quotes\n"
	"and report text masked. add prints the new pseudonym; --event links the\n"
	"person to an event as victim, witness, source, perpetrator or other.\n"
	"reseal (owners) seals every identity again to today's owners and editors,\n"
	"so that those added since can read them. Every change is logged.\n";

static const char *str(json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);
	return json_is_string(v) ? json_string_value(v) : "";
}

static void events_text(json_t *p, char *buf, size_t n)
{
	size_t i, used = 0;
	json_t *e;
	buf[0] = '\0';
	json_array_foreach(json_object_get(p, "events"), i, e) {
		int w = snprintf(buf + used, n - used, "%s%lld:%s", used ? " " : "",
				 (long long)json_integer_value(json_object_get(e, "event")),
				 str(e, "role"));
		if (w < 0 || (size_t)w >= n - used)
			break;
		used += (size_t)w;
	}
}

static int do_list(cb_store *st, int fmt)
{
	cb_error err = CB_ERROR_INIT;
	int holder = cb_store_is_holder(st);
	json_t *persons = NULL, *p;
	size_t i;
	if (cb_store_list_persons(st, &persons, holder, &err) < 0)
		return cli_fail(&err);
	if (fmt == 1) {
		cli_print_json(persons);
	} else {
		static const char *const HV[] = {"PSEUDONYM", "EVENTS", "ADDED", NULL};
		static const char *const HH[] = {"PSEUDONYM", "GIVEN", "FAMILY", "BIRTH", "TOWN",
						 "CONTACT", "EVENTS", NULL};
		static const int W[] = {0, 24, 24, 0, 24, 30, 40};
		cli_table *t = cli_table_new(holder ? HH : HV, holder ? W : NULL);
		json_array_foreach(persons, i, p) {
			char ev[256];
			json_t *id = json_object_get(p, "identity");
			events_text(p, ev, sizeof ev);
			if (holder) {
				const char *row[] = {str(p, "pseudonym"), str(id, "given_name"),
						     str(id, "family_name"), str(id, "birth_date"),
						     str(id, "home_town"), str(id, "contact"), ev};
				if (json_is_null(id))
					row[1] = "(sealed before you)";
				cli_table_add(t, row);
			} else {
				const char *row[] = {str(p, "pseudonym"), ev, str(p, "created_at")};
				cli_table_add(t, row);
			}
		}
		cli_table_print(t, stdout);
		cli_table_free(t);
		printf("%zu person%s%s\n", json_array_size(persons), json_array_size(persons) == 1 ? "" : "s",
		       holder ? "" : " (identities are sealed to owners and editors)");
	}
	json_decref(persons);
	return 0;
}

static int do_show(cb_store *st, const char *ps, int fmt)
{
	static const char *const F[] = {"given_name", "family_name", "birth_date", "home_town",
					"contact", NULL};
	cb_error err = CB_ERROR_INIT;
	json_t *p = NULL, *id, *e;
	size_t i;
	if (!cb_store_is_holder(st)) {
		cb_fail(&err, CB_EAUTH, "%s: identities are sealed to owners and editors; '%s' is a viewer"
			" ('casebook person list' shows pseudonyms)", ps, cb_store_user(st));
		return cli_fail(&err);
	}
	if (cb_store_get_person(st, &p, ps, 1, &err) < 0)
		return cli_fail(&err);
	if (fmt == 1) {
		cli_print_json(p);
	} else {
		id = json_object_get(p, "identity");
		printf("person %s\n", str(p, "pseudonym"));
		for (int k = 0; F[k]; k++)
			if (*str(id, F[k]))
				printf("  %-12s %s\n", F[k], str(id, F[k]));
		printf("  %-12s %s by %s\n", "added", str(p, "created_at"), str(p, "created_by"));
		json_array_foreach(json_object_get(p, "events"), i, e)
			printf("  event %lld as %s\n", (long long)json_integer_value(json_object_get(e, "event")),
			       str(e, "role"));
	}
	json_decref(p);
	return 0;
}

int cmd_person(int argc, char **argv)
{
	static const struct option opts[] = {
		{"store", required_argument, NULL, 's'},
		{"user", required_argument, NULL, 'u'},
		{"given", required_argument, NULL, 'g'},
		{"family", required_argument, NULL, 'F'},
		{"birth", required_argument, NULL, 'b'},
		{"town", required_argument, NULL, 't'},
		{"contact", required_argument, NULL, 'c'},
		{"event", required_argument, NULL, 'e'},
		{"role", required_argument, NULL, 'r'},
		{"format", required_argument, NULL, 'f'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0}};
	static const char *const ROLES[] = {"victim", "witness", "source", "perpetrator", "other", NULL};
	static const char *const FORMATS[] = {"table", "json", "text", NULL};
	const char *dir = NULL, *user = NULL, *verb, *arg = NULL, *event_s = NULL, *role = NULL;
	cb_person_new p = {0};
	cb_error err = CB_ERROR_INIT;
	cb_store *st = NULL;
	long long event = 0;
	int c, status, fmt = 0;

	while ((c = cli_getopt(argc, argv, ":s:u:g:F:b:t:c:e:r:f:h", opts, "person")) != -1) {
		switch (c) {
		case 's': dir = optarg; break;
		case 'u': user = optarg; break;
		case 'g': p.given_name = optarg; break;
		case 'F': p.family_name = optarg; break;
		case 'b': p.birth_date = optarg; break;
		case 't': p.home_town = optarg; break;
		case 'c': p.contact = optarg; break;
		case 'e': event_s = optarg; break;
		case 'r':
			if (cli_choice("person", "--role", optarg, ROLES) < 0)
				return 2;
			role = optarg;
			break;
		case 'f':
			if ((fmt = cli_choice("person", "--format", optarg, FORMATS)) < 0)
				return 2;
			fmt = fmt == 1; /* table and text are the same */
			break;
		case 'h': fputs(USAGE, stdout); return 0;
		default: return 2;
		}
	}
	if (optind >= argc)
		return cli_usage_error("person", "say add, list, show or reseal");
	verb = argv[optind++];
	if (!strcmp(verb, "show") || !strcmp(verb, "link")) {
		if (optind >= argc)
			return cli_usage_error("person", "%s needs a pseudonym", verb);
		arg = argv[optind++];
	} else if (strcmp(verb, "add") && strcmp(verb, "list") && strcmp(verb, "reseal")) {
		return cli_usage_error("person", "'%s' is not add, link, list, show or reseal", verb);
	}
	if (optind < argc)
		return cli_usage_error("person", "unexpected argument '%s'", argv[optind]);
	if (!strcmp(verb, "add") || !strcmp(verb, "link")) {
		if (!strcmp(verb, "link") && (!event_s || p.given_name || p.family_name || p.birth_date ||
					      p.home_town || p.contact))
			return cli_usage_error("person", "link takes --event and --role only");
		if (!!event_s != !!role)
			return cli_usage_error("person", "--event and --role go together");
		if (event_s && (event = cli_parse_id(event_s)) <= 0)
			return cli_usage_error("person", "--event must be an event id, not '%s'", event_s);
		if (!p.given_name && !p.family_name && !p.birth_date && !p.home_town && !p.contact &&
		    !event_s)
			return cli_usage_error("person", "add needs at least one of --given, --family,"
					       " --birth, --town, --contact, --event");
	} else if (event_s || role || p.given_name || p.family_name || p.birth_date || p.home_town ||
		   p.contact) {
		return cli_usage_error("person", "identity, --event and --role options are for add");
	}
	if ((status = cli_open_store(&st, dir, user)) != 0)
		return status;
	if (!strcmp(verb, "add")) {
		char ps[16];
		/* The person and the link are two logged changes; a failed link
		 * leaves the person, whose pseudonym is printed all the same. */
		if (cb_store_add_person(st, ps, &p, &err) < 0) {
			status = cli_fail(&err);
		} else {
			printf("%s\n", ps);
			if (event_s && cb_store_link_person(st, ps, event, role, &err) < 0)
				status = cli_fail(&err);
		}
	} else if (!strcmp(verb, "link")) {
		if (cb_store_link_person(st, arg, event, role, &err) < 0)
			status = cli_fail(&err);
		else
			printf("%s linked to event %lld as %s\n", arg, event, role);
	} else if (!strcmp(verb, "list")) {
		status = do_list(st, fmt);
	} else if (!strcmp(verb, "show")) {
		status = do_show(st, arg, fmt);
	} else {
		size_t n = 0, skipped = 0;
		if (cb_store_reseal_persons(st, &n, &skipped, &err) < 0) {
			status = cli_fail(&err);
		} else {
			printf("resealed %zu identit%s to the owners and editors\n", n, n == 1 ? "y" : "ies");
			if (skipped)
				fprintf(stderr, "casebook: %zu identit%s sealed before you were an owner;"
					" another owner must reseal %s\n", skipped, skipped == 1 ? "y" : "ies",
					skipped == 1 ? "it" : "them");
		}
	}
	cb_store_close(st);
	return status;
}
