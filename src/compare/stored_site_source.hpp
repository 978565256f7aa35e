#pragma once
// A loaded file of a store as a SiteSource: `compare --db DIR A B` compares sources already in
// the store with the same core as two files. Sites and genotype codes come from the store's
// rows and call vectors (StoredRecordReader, the read path of `export`), in locus order.
//
// A store keeps no INFO/AC or AN, so a site's allele counts are counted from its calls
// (diploid calls; another ALT counts as REF), which is what bcftools does for a file without
// them.
#include <memory>

#include "compare/compared_site.hpp"
#include "export/stored_records.hpp"

namespace vcfagent::compare {

class StoredSiteSource : public SiteSource {
  public:
    // `source`: a loaded file's path as ingested, file name or sha256 id (InputError when the
    // store has none or several such). Reads that file's variants and samples.
    StoredSiteSource(store::GraphStore& graph, const std::string& source);

    const std::string& name() const override { return name_; }
    const std::vector<std::string>& samples() const override { return reader_->samples(); }
    const std::vector<std::string>& contigs() const override { return reader_->contigs(); }
    bool next(ComparedSite& site) override;

  private:
    std::string name_;
    std::unique_ptr<exporting::StoredRecordReader> reader_;
    exporting::StoredRecord rec_;
};

}  // namespace vcfagent::compare
