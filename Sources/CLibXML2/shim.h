// libxml2's HTML parser and tree, for the HTML importer (GlossImport).
#include <libxml/xmlversion.h>
// With ICU enabled, libxml/encoding.h includes the system's <unicode/ucnv.h>, whose
// declarations clash with the ICU Foundation bundles (another version) in any Swift module
// that imports both. ICU only adds two pointers at the end of xmlCharEncodingHandler,
// which Gloss never uses, so the headers are read as for a build without ICU.
#undef LIBXML_ICU_ENABLED
#include <libxml/HTMLparser.h>
#include <libxml/HTMLtree.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
