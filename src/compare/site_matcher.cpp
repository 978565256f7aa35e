#include "compare/site_matcher.hpp"

#include <cctype>

#include "common/error.hpp"

namespace vcfagent::compare {

namespace {

using vcf::VariantClass;

// The synced reader's variant kinds: MNVs pair like SNVs, every length change like an indel.
enum Kind { kRef, kSnp, kIndel, kOther };

Kind kind_of(VariantClass c) {
    switch (c) {
        case VariantClass::Snv:
        case VariantClass::Mnv:
            return kSnp;
        case VariantClass::Insertion:
        case VariantClass::Deletion:
        case VariantClass::Complex:
            return kIndel;
        case VariantClass::NoAlt:
            return kRef;
        default:
            return kOther;
    }
}

bool same_text_ignoring_case(const std::string& x, const std::string& y) {
    if (x.size() != y.size()) return false;
    for (size_t i = 0; i < x.size(); ++i)
        if (std::toupper(static_cast<unsigned char>(x[i])) !=
            std::toupper(static_cast<unsigned char>(y[i])))
            return false;
    return true;
}

constexpr int kIdentical = 100;  // identical alleles outrank every class pairing

// How much a mode likes pairing two leftover sites of different alleles: 0 forbids it; higher
// wins. The values keep the synced reader's ranking (same class 3, with a reference-only
// site 2, anything else under "all" 1).
int class_score(CollapseMode mode, Kind x, Kind y) {
    const bool snps =
        mode == CollapseMode::Snps || mode == CollapseMode::Both || mode == CollapseMode::All;
    const bool indels =
        mode == CollapseMode::Indels || mode == CollapseMode::Both || mode == CollapseMode::All;
    if (snps && x == kSnp && y == kSnp) return 3;
    if (indels && x == kIndel && y == kIndel) return 3;
    if (mode != CollapseMode::All) return 0;
    if ((x == kRef && (y == kSnp || y == kIndel)) || (y == kRef && (x == kSnp || x == kIndel)))
        return 2;
    return 1;
}

}  // namespace

bool parse_collapse_mode(std::string_view name, CollapseMode& out) {
    if (name == "none")
        out = CollapseMode::None;
    else if (name == "snps")
        out = CollapseMode::Snps;
    else if (name == "indels")
        out = CollapseMode::Indels;
    else if (name == "both")
        out = CollapseMode::Both;
    else if (name == "all" || name == "any")
        out = CollapseMode::All;
    else if (name == "some")
        out = CollapseMode::Some;
    else
        return false;
    return true;
}

std::string_view to_string(CollapseMode mode) {
    switch (mode) {
        case CollapseMode::None:
            return "none";
        case CollapseMode::Snps:
            return "snps";
        case CollapseMode::Indels:
            return "indels";
        case CollapseMode::Both:
            return "both";
        case CollapseMode::All:
            return "all";
        case CollapseMode::Some:
            return "some";
    }
    return "?";
}

PositionPairing pair_position(const std::vector<ComparedSite>& a,
                              const std::vector<ComparedSite>& b, CollapseMode mode) {
    PositionPairing out;
    std::vector<char> used_a(a.size(), 0), used_b(b.size(), 0);
    std::vector<long> partner_of_a(a.size(), -1);
    // Identical alleles first: the synced reader makes them one variant before any pairing,
    // the k-th copy in B joining the k-th copy in A.
    for (size_t j = 0; j < b.size(); ++j) {
        for (size_t i = 0; i < a.size(); ++i) {
            if (used_a[i] || a[i].ref != b[j].ref || a[i].alt != b[j].alt) continue;
            used_a[i] = used_b[j] = 1;
            partner_of_a[i] = static_cast<long>(j);
            break;
        }
    }
    // Then each leftover site of A, in order, takes the first leftover site of B with the best
    // score (ties go to the earlier site, as the reader's strict comparison does).
    for (size_t i = 0; i < a.size(); ++i) {
        if (used_a[i]) continue;
        long best = -1;
        int best_score = 0;
        for (size_t j = 0; j < b.size(); ++j) {
            if (used_b[j]) continue;
            const bool identical = same_text_ignoring_case(a[i].ref, b[j].ref) &&
                                   same_text_ignoring_case(a[i].alt, b[j].alt);
            const int score = identical
                                  ? kIdentical
                                  : class_score(mode, kind_of(a[i].vclass), kind_of(b[j].vclass));
            if (score > best_score) {
                best_score = score;
                best = static_cast<long>(j);
            }
        }
        if (best < 0) continue;
        used_a[i] = used_b[static_cast<size_t>(best)] = 1;
        partner_of_a[i] = best;
    }
    for (size_t i = 0; i < a.size(); ++i) {
        if (partner_of_a[i] >= 0)
            out.both.emplace_back(i, static_cast<size_t>(partner_of_a[i]));
        else
            out.only_a.push_back(i);
    }
    for (size_t j = 0; j < b.size(); ++j)
        if (!used_b[j]) out.only_b.push_back(j);
    return out;
}

SortedSiteStream::SortedSiteStream(SiteSource& source, ContigOrder& order)
    : source_(source), order_(order) {
    advance();
}

void SortedSiteStream::advance() {
    if (!source_.next(head_)) {
        done_ = true;
        return;
    }
    auto fail = [&](const std::string& reason) {
        throw InputError(source_.name(), 0,
                         (head_.where.empty() ? "" : head_.where + ": ") + reason, kExitInvalid);
    };
    const size_t n_samples = source_.samples().size();
    if (!head_.gt.empty() && head_.gt.size() != n_samples)
        fail("site " + head_.key + " has " + std::to_string(head_.gt.size()) + " genotypes for " +
             std::to_string(n_samples) + " samples");
    rank_ = started_ && head_.chrom == last_chrom_ ? last_rank_ : order_.rank(head_.chrom);
    if (started_) {
        if (rank_ < last_rank_)
            fail("contig " + head_.chrom + " comes after " + last_chrom_ +
                 ": the input is not sorted (contigs must be contiguous and in the order of the "
                 "headers, the first input's contigs first; sort it with `bcftools sort`)");
        if (rank_ == last_rank_ && head_.pos < last_pos_)
            fail("position " + std::to_string(head_.pos) + " comes after " +
                 std::to_string(last_pos_) + " on contig " + head_.chrom +
                 ": the input is not sorted (sort it with `bcftools sort`)");
    }
    started_ = true;
    if (rank_ != last_rank_ || last_chrom_.empty()) last_chrom_ = head_.chrom;
    last_rank_ = rank_;
    last_pos_ = head_.pos;
}

void SortedSiteStream::take_position(std::vector<ComparedSite>& out) {
    out.clear();
    if (done_) return;
    const size_t rank = rank_;
    const int64_t pos = head_.pos;
    while (!done_ && rank_ == rank && head_.pos == pos) {
        out.push_back(std::move(head_));
        advance();
    }
}

void match_sites(SiteSource& a, SiteSource& b, ContigOrder& order, CollapseMode mode,
                 SiteVisitor& visitor) {
    SortedSiteStream sa(a, order), sb(b, order);
    std::vector<ComparedSite> at_a, at_b;
    while (!sa.done() || !sb.done()) {
        bool take_a = !sa.done(), take_b = !sb.done();
        if (take_a && take_b) {
            if (sa.rank() != sb.rank()) {
                take_a = sa.rank() < sb.rank();
                take_b = !take_a;
            } else if (sa.pos() != sb.pos()) {
                take_a = sa.pos() < sb.pos();
                take_b = !take_a;
            }
        }
        at_a.clear();
        at_b.clear();
        if (take_a) sa.take_position(at_a);
        if (take_b) sb.take_position(at_b);
        if (at_b.empty()) {
            for (const auto& s : at_a) visitor.only_a(s);
            continue;
        }
        if (at_a.empty()) {
            for (const auto& s : at_b) visitor.only_b(s);
            continue;
        }
        const PositionPairing p = pair_position(at_a, at_b, mode);
        for (const auto& [i, j] : p.both) visitor.both(at_a[i], at_b[j]);
        for (size_t i : p.only_a) visitor.only_a(at_a[i]);
        for (size_t j : p.only_b) visitor.only_b(at_b[j]);
    }
}

}  // namespace vcfagent::compare
