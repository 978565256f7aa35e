#include "compare/file_site_source.hpp"

#include <algorithm>
#include <cstdlib>

#include "common/error.hpp"

namespace vcfagent::compare {

FileSiteSource::FileSiteSource(const std::string& path, vcf::ReaderOptions options) : name_(path) {
    options.samples.clear();
    options.drop_genotypes = false;
    options.allow_empty = true;  // a file without records compares as an empty site set
    reader_ = std::make_unique<vcf::VcfReader>(path, std::move(options));
    bcf_hdr_t* hdr = reader_->header();
    splitter_ = std::make_unique<vcf::RecordSplitter>(hdr, /*with_genotypes=*/true);
    samples_ = reader_->samples();
    int n = 0;
    const char** names = bcf_hdr_seqnames(hdr, &n);
    for (int i = 0; i < n; ++i) contigs_.emplace_back(names[i]);
    free(names);
    // bcftools' allele counts use INFO/AC and INFO/AN only when the header defines both.
    has_ac_an_tags_ =
        bcf_hdr_id2int(hdr, BCF_DT_ID, "AN") >= 0 && bcf_hdr_id2int(hdr, BCF_DT_ID, "AC") >= 0;
    has_gt_tag_ = bcf_hdr_id2int(hdr, BCF_DT_ID, "GT") >= 0;
}

FileSiteSource::~FileSiteSource() {
    free(info_);
    free(gt_);
}

bool FileSiteSource::next(ComparedSite& site) {
    for (;;) {
        if (pending_begin_ < pending_.size()) {
            if (release_all_ || pending_[pending_begin_].pos < release_below_) {
                site = std::move(pending_[pending_begin_++]);
                return true;
            }
        } else {
            pending_.clear();
            pending_begin_ = 0;
            if (!stash_.empty()) {
                // The previous contig is drained: the new one's first record takes over.
                pending_.swap(stash_);
                stash_.clear();
                pending_chrom_ = pending_.front().chrom;
                release_below_ = stash_pos_;
                release_all_ = eof_;
                continue;
            }
            if (eof_) return false;
        }
        if (eof_) {
            release_all_ = true;
            continue;
        }
        read_record();
    }
}

void FileSiteSource::read_record() {
    bcf1_t* rec = reader_->next();
    if (!rec) {
        eof_ = true;
        release_all_ = true;
        return;
    }
    const std::string where = reader_->where();
    const std::string chrom = bcf_hdr_id2name(reader_->header(), rec->rid);
    const int64_t pos = rec->pos + 1;
    if (chrom == last_chrom_ && pos < last_pos_)
        throw InputError(name_, 0,
                         where + ": position " + std::to_string(pos) + " comes after " +
                             std::to_string(last_pos_) + " on contig " + chrom +
                             ": the file is not sorted (sort it with `bcftools sort`)",
                         kExitInvalid);
    last_chrom_ = chrom;
    last_pos_ = pos;

    split_.clear();
    splitter_->split(rec, reader_->line(), split_);
    const int n_alts = rec->n_allele > 1 ? rec->n_allele - 1 : 0;
    allele_counts(rec, n_alts);

    // The splitter gives a reference-only record no genotype codes; bcftools still compares
    // its calls (hom-ref or missing) when -c all pairs it with a variant.
    if (n_alts == 0 && !split_.empty() && has_gt_tag_ && !samples_.empty())
        reference_only_codes(rec, split_.front().call_vector.gt);

    std::vector<ComparedSite> sites;
    sites.reserve(split_.size());
    for (auto& v : split_) {
        ComparedSite s;
        s.chrom = v.chrom;
        s.pos = v.pos;
        s.ref = std::move(v.ref);
        s.alt = std::move(v.alt);
        s.key = std::move(v.key);
        s.vclass = v.vclass;
        s.id = std::move(v.id);
        if (v.alt_index >= 1 && static_cast<size_t>(v.alt_index) <= ac_.size()) {
            s.ac = ac_[static_cast<size_t>(v.alt_index - 1)];
            s.an = s.ac < 0 ? -1 : an_;
        }
        s.gt = std::move(v.call_vector.gt);
        s.where = where;
        sites.push_back(std::move(s));
    }
    auto by_pos = [](const ComparedSite& x, const ComparedSite& y) { return x.pos < y.pos; };
    std::stable_sort(sites.begin(), sites.end(), by_pos);

    const bool same_contig = pending_begin_ < pending_.size() && chrom == pending_chrom_;
    if (!same_contig && pending_begin_ < pending_.size()) {
        // A new contig: everything pending is final; this record waits until it is out.
        release_all_ = true;
        stash_ = std::move(sites);
        stash_pos_ = pos;
        return;
    }
    if (pending_begin_ >= pending_.size()) {
        pending_.clear();
        pending_begin_ = 0;
        pending_chrom_ = chrom;
        release_all_ = false;
    } else if (pending_begin_ > 0) {
        // Drop the released sites (moved-from, but still holding buffers), so the buffer
        // stays as small as the records overlapping the current one, whatever the file size.
        pending_.erase(pending_.begin(), pending_.begin() + static_cast<ptrdiff_t>(pending_begin_));
        pending_begin_ = 0;
    }
    // No later record starts before `pos`, and trimming only moves a site right: every site
    // before `pos` is final.
    release_below_ = pos;
    for (auto& s : sites) {
        auto at = std::upper_bound(pending_.begin() + static_cast<ptrdiff_t>(pending_begin_),
                                   pending_.end(), s, by_pos);
        pending_.insert(at, std::move(s));
    }
}

void FileSiteSource::reference_only_codes(bcf1_t* rec, std::string& codes) {
    const bcf_hdr_t* hdr = reader_->header();
    const int n_samples = bcf_hdr_nsamples(hdr);
    const int n_gt = bcf_get_genotypes(hdr, rec, &gt_, &n_gt_);
    if (n_gt <= 0 || n_gt % n_samples != 0) return;
    const int per_sample = n_gt / n_samples;
    codes.assign(static_cast<size_t>(n_samples), kGtHomRef);
    for (int s = 0; s < n_samples; ++s) {
        const int32_t* g = gt_ + static_cast<ptrdiff_t>(s) * per_sample;
        int ploidy = 0, non_ref = 0;
        bool missing = false;
        for (int i = 0; i < per_sample && g[i] != bcf_int32_vector_end; ++i) {
            ++ploidy;
            if (bcf_gt_is_missing(g[i]))
                missing = true;
            else if (bcf_gt_allele(g[i]) > 0)
                ++non_ref;
        }
        char& c = codes[static_cast<size_t>(s)];
        if (missing || ploidy == 0)
            c = kGtMissing;
        else if (non_ref > 0)
            c = non_ref == ploidy ? kGtHomAlt : kGtHet;
    }
}

void FileSiteSource::allele_counts(bcf1_t* rec, int n_alts) {
    ac_.assign(static_cast<size_t>(n_alts), -1);
    an_ = -1;
    if (n_alts == 0) return;
    const bcf_hdr_t* hdr = reader_->header();
    if (has_ac_an_tags_) {
        // INFO/AN and INFO/AC when the record has both (bcftools reads them before any GT).
        int an = -1;
        if (bcf_get_info_int32(hdr, rec, "AN", &info_, &n_info_) > 0 &&
            info_[0] != bcf_int32_missing && info_[0] >= 0)
            an = info_[0];
        if (an >= 0) {
            const int n_ac = bcf_get_info_int32(hdr, rec, "AC", &info_, &n_info_);
            if (n_ac > 0) {
                // One AC per ALT, split with the record; any other count leaves the allele
                // frequency unknown, as bcftools does after `norm -m-`.
                if (n_ac != n_alts) return;
                for (int a = 0; a < n_alts; ++a)
                    ac_[static_cast<size_t>(a)] = info_[a] == bcf_int32_missing ? -1 : info_[a];
                an_ = an;
                return;
            }
        }
    }
    // Else count the alleles of every sample's GT (another ALT counts towards AN only).
    if (!has_gt_tag_ || bcf_hdr_nsamples(hdr) == 0) return;
    const int n_gt = bcf_get_genotypes(hdr, rec, &gt_, &n_gt_);
    if (n_gt <= 0) return;
    const int per_sample = n_gt / bcf_hdr_nsamples(hdr);
    std::fill(ac_.begin(), ac_.end(), 0);
    int32_t an = 0;
    for (int s = 0; s < bcf_hdr_nsamples(hdr); ++s) {
        const int32_t* g = gt_ + static_cast<ptrdiff_t>(s) * per_sample;
        for (int i = 0; i < per_sample && g[i] != bcf_int32_vector_end; ++i) {
            if (bcf_gt_is_missing(g[i])) continue;
            ++an;
            const int allele = bcf_gt_allele(g[i]);
            if (allele >= 1 && allele <= n_alts) ++ac_[static_cast<size_t>(allele - 1)];
        }
    }
    an_ = an;
}

}  // namespace vcfagent::compare
