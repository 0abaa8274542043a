// cmark-gfm, GitHub's fork of the CommonMark reference parser, and its core extensions
// (tables, strikethrough), for the Markdown importer (GlossImport).
#include <cmark-gfm.h>
#include <cmark-gfm-core-extensions.h>
