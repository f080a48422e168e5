/*
 * ascii.h: character classes of ASCII bytes, as <ctype.h> gives them in
 * the "C" locale (casebook never sets another), but read from one table
 * inline: the extractor asks them of every byte of a sentence several
 * times, and <ctype.h> looks its table up through a function call each
 * time. Bytes outside ASCII are in no class.
 */
#ifndef CB_ASCII_H
#define CB_ASCII_H

enum { CB_A_UPPER = 1, CB_A_LOWER = 2, CB_A_DIGIT = 4 };

extern const unsigned char cb_ascii_class[256];

static inline int cb_isalpha(int c)
{
	return cb_ascii_class[(unsigned char)c] & (CB_A_UPPER | CB_A_LOWER);
}

static inline int cb_isalnum(int c)
{
	return cb_ascii_class[(unsigned char)c] & (CB_A_UPPER | CB_A_LOWER | CB_A_DIGIT);
}

static inline int cb_isdigit(int c)
{
	return cb_ascii_class[(unsigned char)c] & CB_A_DIGIT;
}

static inline int cb_isupper(int c)
{
	return cb_ascii_class[(unsigned char)c] & CB_A_UPPER;
}

static inline int cb_islower(int c)
{
	return cb_ascii_class[(unsigned char)c] & CB_A_LOWER;
}

static inline int cb_tolower(int c)
{
	return cb_isupper(c) ? c + 32 : c;
}

#endif
