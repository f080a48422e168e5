/*
 * fuzz_import.c: libFuzzer harness for `casebook import-events`: the bytes
 * of a codebook JSON file as a team would hand it over, parsed with
 * jansson and checked against the codebook (store/events.c) for a document
 * of 5,000 characters. A file is accepted or refused with one line that
 * names the event and field; nothing else may happen.
 *
 *   fuzz/run.sh fuzz_import 600
 */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "store/store.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cb_error err = CB_ERROR_INIT;
	json_error_t jerr;
	json_t *rec = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, &jerr);
	json_t *events;

	if (!rec)
		return 0;
	events = json_is_array(rec) ? rec : json_object_get(rec, "events");
	if (events && cb_events_check(events, 5000, &err) < 0 && (!err.msg[0] || strchr(err.msg, '\n')))
		abort();
	json_decref(rec);
	return 0;
}
