// cmark, the CommonMark reference parser, for the Markdown importer (GlossImport).
#include <cmark.h>
