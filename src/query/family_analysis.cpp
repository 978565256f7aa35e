#include "query/family_analysis.hpp"

#include <algorithm>
#include <chrono>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string_view>
#include <unordered_map>

#include "common/error.hpp"
#include "common/text_join.hpp"
#include "store/call_rows.hpp"
#include "store/locus_windows.hpp"

namespace vcfagent::query {

namespace {

const std::pair<const char*, InheritanceMode> kModes[] = {
    {"de-novo", InheritanceMode::DeNovo},       {"recessive", InheritanceMode::Recessive},
    {"dominant", InheritanceMode::Dominant},    {"x-recessive", InheritanceMode::XRecessive},
    {"x-dominant", InheritanceMode::XDominant}, {"x-de-novo", InheritanceMode::XDeNovo},
    {"comp-het", InheritanceMode::CompHet},     {"mendel-errors", InheritanceMode::MendelErrors},
};

bool on_x_only(InheritanceMode m) {
    return m == InheritanceMode::XRecessive || m == InheritanceMode::XDominant ||
           m == InheritanceMode::XDeNovo;
}

struct Person {
    std::string id, family;
    int64_t sex = 0, phenotype = 0;
    std::string father, mother;   // names as the PED gave them
    int col = -1;                 // column in the family's source, -1 when not genotyped there
    const Person* dad = nullptr;  // genotyped parents in the same source
    const Person* mom = nullptr;
    bool affected() const { return phenotype == 2; }
    bool unaffected() const { return phenotype == 1; }
    bool male() const { return sex == 1; }
};

struct Family {
    std::string id;
    std::vector<Person> members;
    int64_t source = -1;
    std::string source_path;
};

// One sample's call at the current variant.
struct Call {
    char gt = '.';
    int dp = -1, gq = -1, ref = -1, alt = -1;
    bool carries() const { return gt == '1' || gt == '2'; }
};

// FORMAT fields a row has (its lists are not null).
struct Fields {
    bool dp = false, gq = false, ad = false;
};

// A sample's code in a call vector: '.' when the column is absent or past the vector's end.
char code_at(std::string_view gt, int col) {
    return col >= 0 && static_cast<size_t>(col) < gt.size() ? gt[static_cast<size_t>(col)] : '.';
}

int value_at(const std::vector<int>& values, int col) {
    return col >= 0 && static_cast<size_t>(col) < values.size() ? values[col] : -1;
}

struct Row {
    std::string key, chrom;
    int64_t pos = 0;
    std::string ref, alt;
    std::string gt;
    std::vector<int32_t> dp, gq, ad_ref, ad_alt;  // empty: the file has no such field
    Fields fields;
    Call call(const Person* p) const {
        Call c;
        if (!p || p->col < 0) return c;
        c.gt = code_at(gt, p->col);
        c.dp = value_at(dp, p->col);
        c.gq = value_at(gq, p->col);
        c.ref = value_at(ad_ref, p->col);
        c.alt = value_at(ad_alt, p->col);
        return c;
    }
};

// What one family shows at one variant: the samples the pattern rests on and their calls.
struct Match {
    std::vector<std::string> samples;  // children / affected members
    std::vector<std::string> notes;    // mendel-errors: "sample:type"
};

class Checker {
  public:
    Checker(InheritanceMode mode, const FamilyOptions& o) : mode_(mode), o_(o) {}

    bool passes(const Call& c, const CallThresholds& t, const Fields& f) const {
        if (o_.lenient) return true;
        if (f.gq && c.gq < t.min_gq) return false;
        if (f.dp && c.dp < t.min_dp) return false;
        if (c.gt == '1' && f.ad) {
            const int depth = c.ref + c.alt;
            if (c.ref < 0 || c.alt < 0 || depth <= 0) return false;
            const double ab = static_cast<double>(c.alt) / depth;
            if (ab < t.min_het_ab || ab > t.max_het_ab) return false;
        }
        return true;
    }

    // The family's match at this row, or nullopt.
    std::optional<Match> check(const Family& fam, const Row& r, bool x_nonpar) const {
        switch (mode_) {
            case InheritanceMode::DeNovo:
                return de_novo(fam, r, false);
            case InheritanceMode::XDeNovo:
                return x_nonpar ? de_novo(fam, r, true) : std::nullopt;
            case InheritanceMode::Recessive:
                return recessive(fam, r);
            case InheritanceMode::Dominant:
                return dominant(fam, r, false);
            case InheritanceMode::XRecessive:
                return x_nonpar ? x_recessive(fam, r) : std::nullopt;
            case InheritanceMode::XDominant:
                return x_nonpar ? dominant(fam, r, true) : std::nullopt;
            case InheritanceMode::MendelErrors:
                return mendel(fam, r, x_nonpar);
            case InheritanceMode::CompHet:
                return std::nullopt;  // gathered per gene instead
        }
        return std::nullopt;
    }

    // Mendel: checked / skipped / errors by type, per child.
    struct TrioCounts {
        int64_t checked = 0, skipped = 0;
        std::map<std::string, int64_t> errors;
    };
    mutable std::map<std::string, TrioCounts> trio_counts;

  private:
    std::optional<Match> de_novo(const Family& fam, const Row& r, bool x) const {
        Match m;
        for (const auto& kid : fam.members) {
            if (kid.col < 0 || !kid.mom || (!kid.dad && !(x && kid.male()))) continue;
            const Call k = r.call(&kid), mo = r.call(kid.mom);
            // A boy's X comes from his mother only: his father's call does not count.
            const bool need_dad = !(x && kid.male());
            const Call fa = need_dad ? r.call(kid.dad) : Call{'0', 0, 0, 0, 0};
            const bool het_wanted = !(x && kid.male());
            const bool kid_ok = o_.lenient ? k.carries() : (het_wanted ? k.gt == '1' : k.carries());
            if (!kid_ok || mo.gt != '0' || fa.gt != '0') continue;
            if (!passes(k, o_.child, r.fields) || !passes(mo, o_.parent, r.fields) ||
                (need_dad && !passes(fa, o_.parent, r.fields)))
                continue;
            if (!o_.lenient && r.fields.ad &&
                std::max(0, mo.alt) + (need_dad ? std::max(0, fa.alt) : 0) >
                    o_.max_parent_alt_reads)
                continue;
            m.samples.push_back(kid.id);
        }
        if (m.samples.empty()) return std::nullopt;
        return m;
    }

    std::optional<Match> recessive(const Family& fam, const Row& r) const {
        Match m;
        for (const auto& p : fam.members) {
            if (p.col < 0) continue;
            const Call c = r.call(&p);
            if (p.affected()) {
                if (c.gt != '2' || !passes(c, o_.child, r.fields)) return std::nullopt;
                for (const Person* parent : {p.dad, p.mom}) {
                    if (!parent || parent->affected()) continue;
                    const Call pc = r.call(parent);
                    if (pc.gt != '1' || !passes(pc, o_.parent, r.fields)) return std::nullopt;
                }
                m.samples.push_back(p.id);
            } else if (p.unaffected() && c.gt == '2') {
                return std::nullopt;
            }
        }
        if (m.samples.empty()) return std::nullopt;
        return m;
    }

    std::optional<Match> dominant(const Family& fam, const Row& r, bool x) const {
        Match m;
        for (const auto& p : fam.members) {
            if (p.col < 0) continue;
            const Call c = r.call(&p);
            if (p.affected()) {
                const bool ok = o_.lenient || (x && p.male()) ? c.carries() : c.gt == '1';
                if (!ok || !passes(c, o_.child, r.fields)) return std::nullopt;
                m.samples.push_back(p.id);
            } else if (p.unaffected()) {
                if (c.gt != '0' || !passes(c, o_.parent, r.fields)) return std::nullopt;
                // X-linked dominant: an affected father gives his X to every daughter.
                if (x && p.sex == 2 && p.dad && p.dad->affected()) return std::nullopt;
            }
        }
        if (m.samples.empty()) return std::nullopt;
        return m;
    }

    std::optional<Match> x_recessive(const Family& fam, const Row& r) const {
        Match m;
        for (const auto& p : fam.members) {
            if (p.col < 0) continue;
            const Call c = r.call(&p);
            if (p.affected()) {
                // Males are hemizygous: one ALT copy (coded as hom-alt when haploid) suffices.
                const bool ok = p.male() ? c.carries() : c.gt == '2';
                if (!ok || !passes(c, o_.child, r.fields)) return std::nullopt;
                if (p.male() && p.mom && !p.mom->affected()) {
                    const Call mc = r.call(p.mom);
                    if (mc.gt != '1' || !passes(mc, o_.parent, r.fields)) return std::nullopt;
                }
                m.samples.push_back(p.id);
            } else if (p.unaffected()) {
                if (p.male() ? c.gt != '0' : c.gt == '2') return std::nullopt;
            }
        }
        if (m.samples.empty()) return std::nullopt;
        return m;
    }

    // Alleles a code stands for: R R, R A or A A.
    static bool has_ref(char g) { return g == '0' || g == '1'; }
    static bool has_alt(char g) { return g == '1' || g == '2'; }

    std::optional<Match> mendel(const Family& fam, const Row& r, bool x) const {
        Match m;
        for (const auto& kid : fam.members) {
            if (kid.col < 0 || !kid.dad || !kid.mom) continue;
            const Call k = r.call(&kid), fa = r.call(kid.dad), mo = r.call(kid.mom);
            // (checked and skipped are counted over every variant, not only the rows the
            // prefilter lets through: see trio_checks)
            if (k.gt == '.' || fa.gt == '.' || mo.gt == '.') continue;
            std::string type;
            if (x && kid.male()) {
                // A boy's X is his mother's: he can show only alleles she has.
                const bool ok = (k.gt != '0' || has_ref(mo.gt)) &&
                                (k.gt != '2' || has_alt(mo.gt)) &&
                                (k.gt != '1' || (has_ref(mo.gt) && has_alt(mo.gt)));
                if (ok) continue;
                type = has_alt(k.gt) && !has_alt(mo.gt) ? "de_novo" : "impossible";
            } else {
                const bool ok = k.gt == '0'   ? has_ref(fa.gt) && has_ref(mo.gt)
                                : k.gt == '2' ? has_alt(fa.gt) && has_alt(mo.gt)
                                              : (has_ref(fa.gt) && has_alt(mo.gt)) ||
                                                    (has_alt(fa.gt) && has_ref(mo.gt));
                if (ok) continue;
                if (has_alt(k.gt) && !has_alt(fa.gt) && !has_alt(mo.gt)) {
                    type = "de_novo";
                } else if (k.gt != '1') {
                    // Homozygous child, one parent lacks the allele the other can give twice:
                    // apparent uniparental disomy, or the lacking parent's copy deleted (LOH).
                    const bool allele_alt = k.gt == '2';
                    const bool fa_has = allele_alt ? has_alt(fa.gt) : has_ref(fa.gt);
                    const bool mo_has = allele_alt ? has_alt(mo.gt) : has_ref(mo.gt);
                    type = fa_has && !mo_has   ? "upd_paternal_or_maternal_loh"
                           : mo_has && !fa_has ? "upd_maternal_or_paternal_loh"
                                               : "impossible";
                } else {
                    type = "impossible";
                }
            }
            ++trio_counts[kid.id].errors[type];
            m.samples.push_back(kid.id);
            m.notes.push_back(kid.id + ":" + type);
        }
        if (m.samples.empty()) return std::nullopt;
        return m;
    }

    InheritanceMode mode_;
    const FamilyOptions& o_;
};

// The cheap first cut a row must pass for any family to match, on the call codes alone:
// evaluated on every row the scan reads, before a row's numbers are parsed. (As a Cypher
// condition, one substring() per member and family per row, it cost Kuzu ~45 s on 1M rows and
// 30 trios; here it is a few byte compares.)
class Prefilter {
  public:
    Prefilter(InheritanceMode mode, const std::vector<const Family*>& fams) : mode_(mode) {
        for (const Family* f : fams)
            for (const auto& p : f->members) {
                if (p.col < 0) continue;
                const Term t{p.col, p.dad ? p.dad->col : -1, p.mom ? p.mom->col : -1, p.male()};
                switch (mode) {
                    case InheritanceMode::DeNovo:
                    case InheritanceMode::MendelErrors:
                        if (p.mom && p.dad) terms_.push_back(t);
                        break;
                    case InheritanceMode::XDeNovo:
                        if (p.mom) terms_.push_back(t);
                        break;
                    default:
                        if (p.affected()) terms_.push_back(t);
                }
            }
    }
    bool empty() const { return terms_.empty(); }
    // `on_x`: the row is on X (its PARs included: the checker decides those).
    bool passes(std::string_view gt, bool on_x) const {
        for (const Term& t : terms_)
            if (term_passes(t, gt, on_x)) return true;
        return false;
    }

  private:
    struct Term {
        int kid, dad, mom;  // columns, -1 when absent
        bool male;
    };
    bool term_passes(const Term& t, std::string_view gt, bool on_x) const {
        const char k = code_at(gt, t.kid);
        const bool carries = k == '1' || k == '2';
        switch (mode_) {
            case InheritanceMode::DeNovo:
                return carries && code_at(gt, t.dad) == '0' && code_at(gt, t.mom) == '0';
            case InheritanceMode::XDeNovo:
                return carries && code_at(gt, t.mom) == '0';
            case InheritanceMode::MendelErrors: {
                // Exactly the autosomal errors of Checker::mendel, and for a boy on X also what
                // is an error for a hemizygous son; the checker then decides.
                const char f = code_at(gt, t.dad), m = code_at(gt, t.mom);
                const bool autosomal =
                    (k == '0' && (f == '2' || m == '2')) || (k == '2' && (f == '0' || m == '0')) ||
                    (k == '1' && ((f == '0' && m == '0') || (f == '2' && m == '2')));
                const bool boy_on_x =
                    t.male && on_x &&
                    ((k == '0' && m == '2') || (k == '2' && m == '0') || (k == '1' && m != '1'));
                return autosomal || boy_on_x;
            }
            case InheritanceMode::Recessive:
                return k == '2';
            case InheritanceMode::CompHet:
                return k == '1';
            default:
                return carries;
        }
    }

    InheritanceMode mode_;
    std::vector<Term> terms_;
};

// comp-het rows list at most this many partner keys (the pairs column counts them all): in a
// long gene a child can have hundreds of hets.
constexpr size_t kPartnersListed = 10;

bool on_x_chrom(const std::string& chrom) {
    return chrom == "X" || chrom == "chrX";
}

struct Pedigree {
    std::vector<Family> families;
    std::vector<std::string> notes;
};

Pedigree load_pedigree(store::GraphStore& store, const FamilyOptions& o, InheritanceMode mode) {
    Pedigree ped;
    const auto people = store.read(
        "MATCH (s:Sample) WHERE s.family IS NOT NULL AND s.family <> '' RETURN s.id, s.family, "
        "s.sex, s.phenotype, s.father, s.mother ORDER BY s.family, s.id");
    if (people.rows.empty())
        throw StoreError("the store has no pedigree: load one with `vcf-agent ped load FILE.ped`");
    const auto columns = store.read(
        "MATCH (s:Sample)-[m:SampleOf]->(src:Source) WHERE s.family IS NOT NULL "
        "RETURN s.id, src.num, m.idx, src.path ORDER BY src.num");
    std::unordered_map<std::string, std::vector<std::pair<int64_t, int>>>
        cols;  // sample -> (source, idx)
    std::map<int64_t, std::string> source_path;
    for (const auto& r : columns.rows) {
        cols[r[0].get<std::string>()].emplace_back(r[1].get<int64_t>(), r[2].get<int>());
        source_path[r[1].get<int64_t>()] = r[3].is_string() ? r[3].get<std::string>() : "";
    }
    std::map<std::string, Family> by_family;
    for (const auto& r : people.rows) {
        Person p;
        p.id = r[0].get<std::string>();
        p.family = r[1].get<std::string>();
        p.sex = r[2].is_number() ? r[2].get<int64_t>() : 0;
        p.phenotype = r[3].is_number() ? r[3].get<int64_t>() : 0;
        p.father = r[4].is_string() ? r[4].get<std::string>() : "";
        p.mother = r[5].is_string() ? r[5].get<std::string>() : "";
        if (!o.families.empty() &&
            std::find(o.families.begin(), o.families.end(), p.family) == o.families.end())
            continue;
        auto& fam = by_family[p.family];
        fam.id = p.family;
        fam.members.push_back(std::move(p));
    }
    for (const auto& want : o.families)
        if (!by_family.count(want))
            throw StoreError("no family " + want + " in the store's pedigree");
    for (auto& [id, fam] : by_family) {
        // The family's source: the one that holds most of its members.
        std::map<int64_t, int> members_in;
        for (const auto& p : fam.members)
            if (auto it = cols.find(p.id); it != cols.end())
                for (const auto& [src, idx] : it->second) ++members_in[src];
        if (members_in.empty()) {
            ped.notes.push_back("family " + id +
                                ": no member has call vectors (loaded before they were stored? "
                                "re-ingest with --force)");
            continue;
        }
        fam.source = std::max_element(members_in.begin(), members_in.end(), [](auto& a, auto& b) {
                         return a.second < b.second;
                     })->first;
        fam.source_path = source_path[fam.source];
        for (auto& p : fam.members) {
            if (auto it = cols.find(p.id); it != cols.end())
                for (const auto& [src, idx] : it->second)
                    if (src == fam.source) p.col = idx;
            if (p.col < 0)
                ped.notes.push_back("family " + id + ": " + p.id + " has no calls in " +
                                    fam.source_path + " and counts as not genotyped");
        }
        std::unordered_map<std::string, const Person*> named;
        for (const auto& p : fam.members)
            if (p.col >= 0) named[p.id] = &p;
        for (auto& p : fam.members) {
            if (auto it = named.find(p.father); it != named.end()) p.dad = it->second;
            if (auto it = named.find(p.mother); it != named.end()) p.mom = it->second;
        }
        const bool needs_trio = mode == InheritanceMode::DeNovo ||
                                mode == InheritanceMode::XDeNovo ||
                                mode == InheritanceMode::MendelErrors;
        const bool needs_affected = !needs_trio;
        bool usable = false;
        for (const auto& p : fam.members) {
            if (p.col < 0) continue;
            if (needs_trio && p.mom && (p.dad || mode == InheritanceMode::XDeNovo)) usable = true;
            if (needs_affected && p.affected()) usable = true;
        }
        if (!usable) {
            ped.notes.push_back("family " + id + ": " +
                                (needs_trio ? "no genotyped child with genotyped parents"
                                            : "no genotyped affected member") +
                                "; left out");
            continue;
        }
        ped.families.push_back(std::move(fam));
    }
    // Parent pointers were taken inside each family's member vector: moving a Family moves
    // its vector's buffer, so they stay valid.
    if (ped.families.empty())
        throw StoreError("no family of the pedigree can be checked for " + to_string(mode) + ": " +
                         join(ped.notes, "; "));
    return ped;
}

std::string variant_filter_where(GraphQueries& q, const VariantFilter& f) {
    std::vector<std::string> where;
    q.add_filter(f, where);
    return where.empty() ? "" : " AND " + join(where, " AND ");
}

}  // namespace

bool parse_inheritance_mode(const std::string& name, InheritanceMode& out) {
    for (const auto& [n, m] : kModes)
        if (name == n) {
            out = m;
            return true;
        }
    return false;
}

std::string to_string(InheritanceMode mode) {
    for (const auto& [n, m] : kModes)
        if (m == mode) return n;
    return "?";
}

bool in_x_nonpar(const std::string& chrom, int64_t pos, const std::string& build) {
    if (chrom != "X" && chrom != "chrX") return false;
    // Pseudo-autosomal regions PAR1 and PAR2 (1-based, inclusive).
    if (build == "GRCh37")
        return !((pos >= 60001 && pos <= 2699520) || (pos >= 154931044 && pos <= 155260560));
    if (build == "GRCh38")
        return !((pos >= 10001 && pos <= 2781479) || (pos >= 155701383 && pos <= 156030895));
    throw std::invalid_argument("unknown build '" + build + "' (GRCh37 or GRCh38)");
}

FamilyResult analyse_families(store::GraphStore& store, InheritanceMode mode,
                              const FamilyOptions& options, const store::ReadLimits& limits) {
    in_x_nonpar("X", 1, options.build);  // rejects an unknown build before any work
    FamilyResult result;
    Pedigree ped = load_pedigree(store, options, mode);
    result.notes = ped.notes;
    Checker checker(mode, options);
    GraphQueries queries(store, limits);

    std::map<int64_t, std::vector<const Family*>> by_source;
    for (const auto& f : ped.families) by_source[f.source].push_back(&f);

    // Per variant: families and samples that match, in store order.
    struct Hit {
        std::vector<std::string> cells;  // key, chrom, pos, ref, alt
        int64_t pos = 0;
        std::set<std::string> families;
        std::vector<std::string> samples, notes, genotypes;
        std::string gene;
        std::vector<std::string> partner_keys;  // comp-het: the first kPartnersListed partners
        int64_t pairs = 0;                      // comp-het: pairs the variant is part of
        int priority = 0;
    };
    std::vector<Hit> hits;
    int64_t matched = 0;  // variants that match, kept in `hits` or not (all but comp-het)

    // comp-het: candidate hets per (family, child, gene).
    struct Het {
        size_t row;  // index into het_rows
        char
            origin;  // 'p' paternal, 'm' maternal, 'b' both parents carry, 'n' neither, '?' unknown
    };
    std::map<std::tuple<std::string, std::string, std::string>, std::vector<Het>> hets;
    std::vector<std::vector<std::string>> het_rows;  // key, chrom, pos, ref, alt

    std::set<std::string> missing_fields;
    // The time limit covers the whole analysis (checked between windows).
    const auto deadline = std::chrono::steady_clock::now() + limits.timeout;
    for (const auto& [source, fams] : by_source) {
        store::QueryParams params{{"n", source}};
        std::string where = variant_filter_where(queries, options.filter);
        if (on_x_only(mode)) where += " AND v.chrom IN ['X', 'chrX']";
        const std::string path = fams.front()->source_path;
        const Prefilter prefilter(mode, fams);
        if (prefilter.empty()) continue;  // no family of this source can match (no trio)
        // Mendel: every trio of the source, counted checked or skipped at every variant.
        std::vector<const Person*> trio_kids;
        if (mode == InheritanceMode::MendelErrors)
            for (const Family* fam : fams)
                for (const auto& kid : fam->members)
                    if (kid.col >= 0 && kid.dad && kid.mom) trio_kids.push_back(&kid);
        int64_t sample_columns = 0;
        store.scan("MATCH (:Sample)-[:SampleOf]->(src:Source) WHERE src.num = $n RETURN count(*)",
                   {{"n", source}},
                   [&](const store::RowView& r) { sample_columns = r.integer(0); });
        // Two statements per position window. The first reads only each row's codes (and, for
        // comp-het, its genes: one row per gene, a variant in no gene has no partner), on which
        // the cheap prefilter runs here; the second reads the rest of the rows it let through
        // (alleles, and the numbers when thresholds apply). Windows are wide because Kuzu
        // reads a whole node group's strings for any slice of it, and bounded because it
        // materialises a whole result: a row of the first statement is one byte per sample.
        // The Calls rows holding a member of these families (store/call_rows.hpp): a wide
        // file's rows of other samples are never read.
        std::set<int64_t> firsts;
        for (const Family* fam : fams)
            for (const auto& p : fam->members)
                if (p.col >= 0) firsts.insert(store::calls_row_first(p.col));
        std::vector<std::string> first_list;
        for (const int64_t f : firsts) first_list.push_back(std::to_string(f));
        const std::string phase1 =
            "MATCH (v:Variant)-[:CalledIn]->(g:Calls) WHERE g.source = $n "
            "AND g.first IN [" +
            join(first_list, ", ") + "] AND ";
        const std::string phase1_rest =
            where + (mode == InheritanceMode::CompHet
                         ? " MATCH (v)-[:InGene]->(gn:Gene) RETURN v.locus, v.id, g.gt, gn.symbol, "
                           "g.first"
                         : " RETURN v.locus, v.id, g.gt, NULL AS gene, g.first");
        const std::string phase2_columns =
            std::string(" RETURN v.id, v.chrom, v.pos, v.ref, v.alt") +
            (options.lenient ? ", NULL AS dp, NULL AS gq, NULL AS ad_ref, NULL AS ad_alt"
                             : ", g.dp, g.gq, g.ad_ref, g.ad_alt") +
            ", g.first ORDER BY v.locus, v.id";
        store::LocusWindows windows(
            store, store::LocusWindows::target_rows(static_cast<size_t>(sample_columns) + 48),
            options.filter.region);
        struct Candidate {
            int64_t locus = 0;
            std::string gt;  // the source's width; codes of rows not read stay '.'
            std::vector<std::string> genes;
        };
        // One variant's rows of the second statement, merged (see place_numbers).
        struct Pending {
            Row row;
            std::vector<std::string> cells;
            const Candidate* candidate = nullptr;
        };
        auto process = [&](Pending& pending) {
            Row& r = pending.row;
            const Candidate& candidate = *pending.candidate;
            r.gt = candidate.gt;
            if (!options.lenient) {
                r.fields = {!r.dp.empty(), !r.gq.empty(), !r.ad_ref.empty() && !r.ad_alt.empty()};
                if (!r.fields.gq) missing_fields.insert("GQ\t" + path);
                if (!r.fields.dp) missing_fields.insert("DP\t" + path);
                if (!r.fields.ad) missing_fields.insert("AD\t" + path);
            }
            const bool x = in_x_nonpar(r.chrom, r.pos, options.build);
            if (mode == InheritanceMode::CompHet) {
                bool used = false;
                for (const Family* fam : fams) {
                    for (const auto& kid : fam->members) {
                        if (kid.col < 0 || !kid.affected()) continue;
                        const Call k = r.call(&kid);
                        if (k.gt != '1' || !checker.passes(k, options.child, r.fields)) continue;
                        char origin = '?';
                        if (!options.comp_het_without_parents && kid.dad && kid.mom) {
                            const Call fa = r.call(kid.dad), mo = r.call(kid.mom);
                            if (fa.gt != '.' && mo.gt != '.')
                                origin = fa.carries() && mo.carries() ? 'b'
                                         : fa.carries()               ? 'p'
                                         : mo.carries()               ? 'm'
                                                                      : 'n';
                        }
                        for (const auto& gene : candidate.genes)
                            hets[{fam->id, kid.id, gene}].push_back({het_rows.size(), origin});
                        used = true;
                    }
                }
                if (used) het_rows.push_back(std::move(pending.cells));
                return;
            }
            Hit hit;
            for (const Family* fam : fams) {
                auto m = checker.check(*fam, r, x);
                if (!m) continue;
                hit.families.insert(fam->id);
                hit.samples.insert(hit.samples.end(), m->samples.begin(), m->samples.end());
                hit.notes.insert(hit.notes.end(), m->notes.begin(), m->notes.end());
                for (const auto& p : fam->members)
                    if (p.col >= 0)
                        hit.genotypes.push_back(p.id + "=" + std::string(1, r.call(&p).gt));
            }
            if (static_cast<int>(hit.families.size()) < options.min_kindreds) return;
            // Rows past the limit are counted, not kept (a tool asks for a few rows).
            ++matched;
            if (options.filter.limit && hits.size() >= options.filter.limit) return;
            hit.cells = std::move(pending.cells);
            hits.push_back(std::move(hit));
        };
        while (const auto window = windows.next()) {
            if (limits.timeout.count() > 0 && std::chrono::steady_clock::now() > deadline)
                throw StoreError("the family analysis ran longer than its time limit of " +
                                 std::to_string(limits.timeout.count()) + " ms and was stopped");
            size_t rows = 0;
            // A variant's codes come in one row per Calls row read (and, for comp-het, per
            // gene annotation: a gene with two transcripts comes twice, and listed twice the
            // variant would pair with itself).
            std::unordered_map<std::string, Candidate> candidates;
            std::set<int64_t> loci;
            // Counts a variant's Mendel checks and runs the prefilter on its codes.
            auto settle = [&](const Candidate& c) {
                if (mode == InheritanceMode::MendelErrors)
                    for (const Person* kid : trio_kids) {
                        auto& n = checker.trio_counts[kid->id];
                        if (code_at(c.gt, kid->col) == '.' || code_at(c.gt, kid->dad->col) == '.' ||
                            code_at(c.gt, kid->mom->col) == '.')
                            ++n.skipped;
                        else
                            ++n.checked;
                    }
                // (the chromosome is known from the window: X checks apply on X only)
                return prefilter.passes(c.gt, on_x_chrom(windows.chrom()));
            };
            auto add_gene = [&](Candidate& c, const store::RowView& tr) {
                if (mode != InheritanceMode::CompHet || tr.is_null(3)) return;
                std::string gene = tr.text(3);
                if (std::find(c.genes.begin(), c.genes.end(), gene) == c.genes.end())
                    c.genes.push_back(std::move(gene));
            };
            // When the families' members share one Calls row, each row is a whole variant and
            // is settled as it comes; only the candidates are kept. Otherwise a variant's rows
            // are gathered first (Kuzu does not promise them adjacent).
            const bool one_row = firsts.size() == 1;
            Candidate scratch;
            store.scan(phase1 + *window + phase1_rest, params, [&](const store::RowView& tr) {
                ++rows;
                std::string key = tr.text(1);
                auto it = candidates.find(key);
                if (one_row && it != candidates.end()) {  // a further gene of a candidate
                    add_gene(it->second, tr);
                    return;
                }
                Candidate& c = one_row ? scratch : candidates[key];
                if (one_row || c.gt.empty()) {
                    c.locus = tr.integer(0);
                    c.gt.assign(static_cast<size_t>(sample_columns), '.');
                    c.genes.clear();
                }
                store::place_codes(c.gt, tr.integer(4), tr.text(2));
                add_gene(c, tr);
                if (!one_row || !settle(c)) return;
                loci.insert(c.locus);
                candidates.emplace(std::move(key), std::move(scratch));
            });
            windows.observe(rows);
            if (!one_row)
                for (auto it = candidates.begin(); it != candidates.end();) {
                    if (!settle(it->second)) {
                        it = candidates.erase(it);
                        continue;
                    }
                    loci.insert(it->second.locus);
                    ++it;
                }
            if (candidates.empty()) continue;
            // (a parameter: thousands of literals in the statement cost Kuzu's planner ~GBs)
            std::optional<Pending> pending;
            store.scan(phase1 + *window + " AND list_contains($loci, v.locus)" + phase2_columns,
                       {{"n", source}, {"loci", nlohmann::json(loci)}},
                       [&](const store::RowView& tr) {
                           std::string key = tr.text(0);
                           if (pending && pending->row.key != key) {
                               process(*pending);
                               pending.reset();
                           }
                           if (!pending) {
                               const auto cand = candidates.find(key);
                               if (cand == candidates.end())
                                   return;  // another variant at the locus
                               pending.emplace();
                               pending->candidate = &cand->second;
                               Row& r = pending->row;
                               r.key = std::move(key);
                               r.chrom = tr.text(1);
                               r.pos = tr.integer(2);
                               pending->cells = {r.key, r.chrom, std::to_string(r.pos), tr.text(3),
                                                 tr.text(4)};
                           }
                           Row& r = pending->row;
                           const int64_t first = tr.integer(9);
                           for (auto [column, numbers] :
                                {std::pair{5, &r.dp}, std::pair{6, &r.gq}, std::pair{7, &r.ad_ref},
                                 std::pair{8, &r.ad_alt}})
                               if (!tr.is_null(static_cast<size_t>(column)))
                                   store::place_numbers(*numbers, first,
                                                        tr.text(static_cast<size_t>(column)));
                       });
            if (pending) process(*pending);
        }
    }
    if (mode == InheritanceMode::CompHet) {
        // Pairs of hets in one gene of one child: in trans (one from each parent) is priority
        // 1; phase unknown (no parents, or one is missing a call) 2; weaker evidence (a parent
        // carries both, or neither parent carries one: a de novo) 3. In cis: no pair.
        // Counted per origin, so a child's gene with n hets costs O(n), not O(n^2) pairs.
        std::map<size_t, Hit> by_row;
        for (const auto& [fkg, list] : hets) {
            const auto& [family, kid, gene] = fkg;
            if (list.size() < 2) continue;
            std::map<char, size_t> by_origin;
            for (const Het& het : list) ++by_origin[het.origin];
            const auto count = [&](char origin) {
                const auto it = by_origin.find(origin);
                return it == by_origin.end() ? size_t{0} : it->second;
            };
            for (size_t i = 0; i < list.size(); ++i) {
                const char a = list[i].origin;
                const bool from_one_parent = a == 'p' || a == 'm';
                // Partners: every other het, but not one from the same parent (in cis).
                const size_t partners = list.size() - (from_one_parent ? count(a) : 1);
                if (partners == 0) continue;
                const int priority = (a == 'p' && count('m')) || (a == 'm' && count('p')) ? 1
                                     : a == '?' || count('?') > 0                         ? 2
                                                                                          : 3;
                Hit& h = by_row[list[i].row];
                h.cells = het_rows[list[i].row];
                h.families.insert(family);
                if (std::find(h.samples.begin(), h.samples.end(), kid) == h.samples.end())
                    h.samples.push_back(kid);
                h.gene = h.gene.empty()                           ? gene
                         : h.gene.find(gene) == std::string::npos ? h.gene + "," + gene
                                                                  : h.gene;
                h.pairs += static_cast<int64_t>(partners);
                for (size_t j = 0; j < list.size() && h.partner_keys.size() < kPartnersListed;
                     ++j) {
                    if (j == i || (from_one_parent && list[j].origin == a)) continue;
                    const std::string& partner = het_rows[list[j].row][0];
                    if (std::find(h.partner_keys.begin(), h.partner_keys.end(), partner) ==
                        h.partner_keys.end())
                        h.partner_keys.push_back(partner);
                }
                h.priority = h.priority == 0 ? priority : std::min(h.priority, priority);
            }
        }
        for (auto& [row, h] : by_row) hits.push_back(std::move(h));
    }

    for (const auto& mf : missing_fields) {
        const auto tab = mf.find('\t');
        result.notes.push_back(mf.substr(0, tab) +
                               " threshold not applied: the store holds no "
                               "per-sample " +
                               mf.substr(0, tab) + " of " + mf.substr(tab + 1) +
                               " on some variants checked (the file has no FORMAT/" +
                               mf.substr(0, tab) +
                               ", or was ingested without --ped or --call-depths)");
    }

    auto& t = result.variants;
    t.columns = {"key", "chrom", "pos", "ref", "alt", "kindreds", "families", "samples"};
    if (mode == InheritanceMode::CompHet) {
        t.columns.insert(t.columns.end(), {"gene", "priority", "pairs", "partners"});
    } else {
        t.columns.push_back("genotypes");
        if (mode == InheritanceMode::MendelErrors) t.columns.push_back("errors");
    }
    for (const auto& h : hits) {
        if (static_cast<int>(h.families.size()) < options.min_kindreds) continue;
        ++t.total;
        if (options.filter.limit && t.rows.size() >= options.filter.limit) continue;
        std::vector<nlohmann::json> row;
        for (size_t i = 0; i < h.cells.size(); ++i)
            row.push_back(i == 2 ? nlohmann::json(std::stoll(h.cells[i]))
                                 : nlohmann::json(h.cells[i]));
        row.push_back(static_cast<int64_t>(h.families.size()));
        row.push_back(join({h.families.begin(), h.families.end()}, ","));
        row.push_back(join(h.samples, ","));
        if (mode == InheritanceMode::CompHet) {
            row.push_back(h.gene);
            row.push_back(h.priority);
            row.push_back(h.pairs);
            row.push_back(join(h.partner_keys, ","));
        } else {
            row.push_back(join(h.genotypes, ","));
            if (mode == InheritanceMode::MendelErrors) row.push_back(join(h.notes, ","));
        }
        t.rows.push_back(std::move(row));
    }
    if (mode != InheritanceMode::CompHet) t.total = matched;
    if (mode == InheritanceMode::MendelErrors) {
        auto& s = result.samples;
        s.columns = {"sample",          "family", "father",  "mother",     "checked",
                     "skipped_missing", "errors", "de_novo", "upd_or_loh", "impossible"};
        for (const auto& fam : ped.families)
            for (const auto& kid : fam.members) {
                auto it = checker.trio_counts.find(kid.id);
                if (it == checker.trio_counts.end()) continue;
                const auto& c = it->second;
                int64_t errors = 0, upd = 0;
                for (const auto& [type, n] : c.errors) {
                    errors += n;
                    if (type.rfind("upd_", 0) == 0) upd += n;
                }
                auto count = [&](const char* type) {
                    auto e = c.errors.find(type);
                    return e == c.errors.end() ? int64_t{0} : e->second;
                };
                s.rows.push_back({kid.id, fam.id, kid.dad->id, kid.mom->id, c.checked, c.skipped,
                                  errors, count("de_novo"), upd, count("impossible")});
            }
        s.total = s.rows.size();
    }
    return result;
}

}  // namespace vcfagent::query
