/*
 * commands.h: the subcommands of the casebook CLI. Each is one function
 * cmd_NAME(argc, argv) in cli/cmd_NAME.c, with argv[0] the command's name;
 * it parses its own options (getopt_long), calls the library, prints, and
 * returns a process exit status (cb_exit_status()). The table in main.c
 * lists them with their one-line summaries for `casebook --help`.
 */
#ifndef CB_COMMANDS_H
#define CB_COMMANDS_H

int cmd_init(int argc, char **argv);
int cmd_ingest(int argc, char **argv);
int cmd_list(int argc, char **argv);
int cmd_show(int argc, char **argv);
int cmd_search(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_import_events(int argc, char **argv);
int cmd_extract(int argc, char **argv);
int cmd_events(int argc, char **argv);
int cmd_review(int argc, char **argv);
int cmd_edit(int argc, char **argv);
int cmd_user(int argc, char **argv);
int cmd_passwd(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_estimate(int argc, char **argv);
int cmd_person(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_list_import(int argc, char **argv);
int cmd_link(int argc, char **argv);
int cmd_pprl(int argc, char **argv);

#endif
