// libxml2: its HTML parser and tree for the HTML importer (GlossImport), its SAX2 XML
// parser for the REFI-QDA readers (GlossCore).
#include <libxml/xmlversion.h>
// With ICU enabled, libxml/encoding.h includes the system's <unicode/ucnv.h>, whose
// declarations clash with the ICU Foundation bundles (another version) in any Swift module
// that imports both. ICU only adds two pointers at the end of xmlCharEncodingHandler,
// which Gloss never uses, so the headers are read as for a build without ICU.
#undef LIBXML_ICU_ENABLED
#include <libxml/HTMLparser.h>
#include <libxml/HTMLtree.h>
#include <libxml/parser.h>
#include <libxml/SAX2.h>
#include <libxml/parserInternals.h>
#include <libxml/tree.h>
