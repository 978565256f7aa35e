#include "compare/stored_site_source.hpp"

#include "vcf/variant_key.hpp"

namespace vcfagent::compare {

StoredSiteSource::StoredSiteSource(store::GraphStore& graph, const std::string& source)
    : name_(source) {
    exporting::StoredSelection selection;
    selection.source = source;
    reader_ = std::make_unique<exporting::StoredRecordReader>(graph, selection);
}

bool StoredSiteSource::next(ComparedSite& site) {
    if (!reader_->next(rec_)) return false;
    site.chrom = rec_.chrom;
    site.pos = rec_.pos;
    site.ref = rec_.ref;
    site.alt = rec_.alt;
    site.key = rec_.key;
    if (!vcf::parse_variant_class(rec_.vtype, site.vclass)) site.vclass = vcf::VariantClass::Snv;
    site.id = rec_.rsid;
    site.gt.clear();
    int32_t ac = 0, an = 0;
    for (const auto& call : rec_.calls) {
        site.gt += call.code;
        switch (call.code) {
            case kGtHomRef:
                an += 2;
                break;
            case kGtHet:
                an += 2, ac += 1;
                break;
            case kGtHomAlt:
                an += 2, ac += 2;
                break;
            default:
                break;
        }
    }
    site.ac = an > 0 ? ac : -1;
    site.an = an > 0 ? an : -1;
    site.where = "variant " + rec_.key;
    return true;
}

}  // namespace vcfagent::compare
