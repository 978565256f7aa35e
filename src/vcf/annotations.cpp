#include "vcf/annotations.hpp"

#include <cstdlib>
#include <cstring>
#include <string_view>

namespace vcfagent::vcf {

namespace {

using Sv = std::string_view;
constexpr size_t npos = Sv::npos;

char to_lower(char c) {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

bool iequals(Sv a, Sv b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i)
        if (to_lower(a[i]) != to_lower(b[i])) return false;
    return true;
}

size_t ifind(Sv hay, Sv needle) {
    if (needle.size() > hay.size()) return npos;
    for (size_t i = 0; i + needle.size() <= hay.size(); ++i)
        if (iequals(hay.substr(i, needle.size()), needle)) return i;
    return npos;
}

Sv trim(Sv s, Sv chars = " \t") {
    const size_t b = s.find_first_not_of(chars);
    if (b == npos) return {};
    const size_t e = s.find_last_not_of(chars);
    return s.substr(b, e - b + 1);
}

// '.' is the VCF spelling of "no value".
Sv value(Sv s) {
    return s == "." ? Sv{} : s;
}

template <typename F>
void for_each_piece(Sv s, char sep, F&& f) {
    size_t start = 0;
    while (start <= s.size()) {
        size_t end = s.find(sep, start);
        if (end == npos) end = s.size();
        f(s.substr(start, end - start));
        start = end + 1;
    }
}

void split_into(Sv s, char sep, std::vector<Sv>& out) {
    out.clear();
    for_each_piece(s, sep, [&](Sv p) { out.push_back(p); });
}

// Parses a leading positive decimal integer ("2" or the "2" of SnpEff's cancer form "2-1").
int leading_int(Sv s) {
    s = trim(s);
    int v = 0;
    size_t i = 0;
    for (; i < s.size() && s[i] >= '0' && s[i] <= '9' && i < 9; ++i) v = v * 10 + (s[i] - '0');
    return i == 0 ? -1 : v;
}

Sv normalize_impact(Sv s) {
    for (Sv canon : {Sv("HIGH"), Sv("MODERATE"), Sv("LOW"), Sv("MODIFIER")})
        if (iequals(s, canon)) return canon;
    return {};
}

// VEP writes "ENST00000367770.1:c.113T>C"; the transcript already sits in `feature`, and
// dropping the accession keeps hgvs_c / hgvs_p comparable with SnpEff's bare "c.113T>C".
Sv strip_accession(Sv s) {
    const size_t colon = s.rfind(':');
    if (colon == npos || colon + 2 >= s.size() || s[colon + 2] != '.') return s;
    const char kind = s[colon + 1];
    if (std::strchr("cgnmrp", kind) == nullptr) return s;
    return s.substr(colon + 1);
}

bool is_upper_or_stop(char c) {
    return (c >= 'A' && c <= 'Z') || c == '*';
}

// SnpEff 3's one-letter protein changes: "V38A", "Q12*", "M1?", or "S60" for a synonymous
// change (which HGVS spells "p.S60=").
bool one_letter_protein_change(Sv s, std::string& out) {
    size_t i = 0;
    while (i < s.size() && is_upper_or_stop(s[i])) ++i;
    if (i == 0) return false;
    const size_t digits = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    if (i == digits) return false;
    const size_t tail = i;
    while (i < s.size() && (is_upper_or_stop(s[i]) || s[i] == '?' || s[i] == '=')) ++i;
    if (i != s.size()) return false;
    out.assign("p.");
    out.append(s);
    if (tail == s.size()) out.push_back('=');
    return true;
}

bool plain_bases(Sv s) {
    if (s.empty()) return false;
    for (char c : s)
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))) return false;
    return true;
}

// The ways an annotation tool may spell one ALT allele in its Allele sub-field.
struct AltKeys {
    Sv exact;    // as in the VCF
    Sv minimal;  // first base dropped when it equals REF's first base ('-' when nothing is left)
    Sv vep;      // first base dropped only when REF and every ALT share it (VEP's rule)
};

enum class MatchOrder { SnpEff, Vep };

// Per-thread scratch space: parse() is const and may be called from several threads with one
// parser, and the buffers are worth keeping across records.
struct Scratch {
    char* buf = nullptr;  // htslib-managed INFO string buffer
    int n_buf = 0;
    char* buf2 = nullptr;  // second buffer: CLNSIG must outlive the GENEINFO read
    int n_buf2 = 0;
    std::vector<Sv> fields;
    std::vector<Sv> pieces;
    std::vector<AltKeys> alts;
    std::vector<size_t> used;
    std::string hgvs_p, hgvs_c;
    Scratch() = default;
    Scratch(const Scratch&) = delete;
    Scratch& operator=(const Scratch&) = delete;
    ~Scratch() {
        std::free(buf);
        std::free(buf2);
    }
};

Scratch& scratch() {
    thread_local Scratch s;
    return s;
}

constexpr int kAllAlts = -2;
constexpr int kNoAlt = -1;

int match_keys(Sv allele, const std::vector<AltKeys>& alts, MatchOrder order) {
    const Sv AltKeys::*levels_snpeff[] = {&AltKeys::exact, &AltKeys::minimal, &AltKeys::vep};
    const Sv AltKeys::*levels_vep[] = {&AltKeys::vep, &AltKeys::exact, &AltKeys::minimal};
    const auto& levels = order == MatchOrder::Vep ? levels_vep : levels_snpeff;
    for (const auto level : levels)
        for (size_t i = 0; i < alts.size(); ++i)
            if (iequals(alts[i].*level, allele)) return static_cast<int>(i);
    return kNoAlt;
}

int match_allele(Sv allele, const std::vector<AltKeys>& alts, MatchOrder order) {
    allele = trim(allele);
    int i = allele.empty() ? kNoAlt : match_keys(allele, alts, order);
    // SnpEff's cancer/compound spelling "A-C" is "allele A relative to C": A is the ALT.
    if (i == kNoAlt && allele.size() > 1) {
        const size_t dash = allele.find('-');
        if (dash != npos && dash > 0) i = match_keys(allele.substr(0, dash), alts, order);
    }
    // An unmatched entry of a multi-allelic record is dropped: attaching it to every ALT would
    // give alleles effects they do not have.
    if (i == kNoAlt && alts.size() == 1) i = 0;
    return i;
}

// Writes annotations into per_alt, reusing the Annotation objects (and their string
// capacity) already there.
struct Sink {
    Sink(std::vector<std::vector<Annotation>>& per_alt_in, std::vector<size_t>& used_in)
        : per_alt(per_alt_in), used(used_in) {
        used.assign(per_alt.size(), 0);
    }

    Annotation& add(size_t alt) {
        auto& v = per_alt[alt];
        size_t& u = used[alt];
        if (u == v.size()) v.emplace_back();
        return v[u++];
    }

    // Copies the last annotation of ALT `from` to every other ALT.
    void replicate_last(size_t from) {
        for (size_t i = 0; i < per_alt.size(); ++i)
            if (i != from) add(i) = per_alt[from][used[from] - 1];
    }

    void finish() {
        for (size_t i = 0; i < per_alt.size(); ++i) per_alt[i].resize(used[i]);
    }

    std::vector<std::vector<Annotation>>& per_alt;
    std::vector<size_t>& used;  // annotations written so far per ALT
};

struct Fields {
    Sv gene, gene_id, consequence, impact, feature, hgvs_c, hgvs_p, clinsig, source;
};

void fill(Annotation& a, const Fields& f) {
    a.gene.assign(f.gene);
    a.gene_id.assign(f.gene_id);
    a.consequence.assign(f.consequence);
    a.impact.assign(f.impact);
    a.feature.assign(f.feature);
    a.hgvs_c.assign(f.hgvs_c);
    a.hgvs_p.assign(f.hgvs_p);
    a.clinsig.assign(f.clinsig);
    a.source.assign(f.source);
}

// An entry whose sub-fields are all empty says nothing about the allele.
bool says_nothing(const Fields& f) {
    return f.gene.empty() && f.gene_id.empty() && f.consequence.empty() && f.impact.empty() &&
           f.feature.empty() && f.hgvs_c.empty() && f.hgvs_p.empty() && f.clinsig.empty();
}

void emit(Sink& sink, int alt, size_t n_alt, const Fields& f) {
    if (alt == kNoAlt || says_nothing(f)) return;
    const size_t first = alt == kAllAlts ? 0 : static_cast<size_t>(alt);
    fill(sink.add(first), f);
    if (alt == kAllAlts && n_alt > 1) sink.replicate_last(first);
}

Sv field_at(const std::vector<Sv>& fields, int i) {
    if (i < 0 || static_cast<size_t>(i) >= fields.size()) return {};
    return value(trim(fields[static_cast<size_t>(i)]));
}

std::string lower_copy(Sv s) {
    std::string out(s);
    for (char& c : out) c = to_lower(c);
    return out;
}

// Sub-field names from a Description such as "Functional annotations: 'Allele | Annotation |
// ...'" or "Consequence annotations from Ensembl VEP. Format: Allele|Consequence|...".
std::vector<std::string> pipe_field_names(Sv desc, bool inside_parentheses) {
    Sv s = desc;
    const size_t q1 = s.find('\''), q2 = s.rfind('\'');
    if (q1 != npos && q2 > q1 + 1) {
        s = s.substr(q1 + 1, q2 - q1 - 1);
    } else if (const size_t f = ifind(s, "format:"); f != npos) {
        s = s.substr(f + 7);
    }
    if (inside_parentheses) {
        const size_t open = s.find('(');
        if (open == npos) return {};
        const size_t close = s.rfind(')');
        s = s.substr(open + 1, close == npos || close < open ? npos : close - open - 1);
    }
    std::vector<std::string> names;
    if (s.find('|') == npos) return names;
    for_each_piece(s, '|', [&](Sv p) {
        p = trim(p, " \t[]'\"");
        // Without a "Format:" marker the first name is preceded by prose.
        if (names.empty()) {
            const size_t space = p.find_last_of(" \t");
            if (space != npos) p = p.substr(space + 1);
        }
        names.push_back(lower_copy(p));
    });
    return names;
}

std::vector<std::string> names_of(Sv pipe_list) {
    std::vector<std::string> names;
    for_each_piece(pipe_list, '|', [&](Sv p) { names.push_back(std::string(p)); });
    return names;
}

std::string info_description(const bcf_hdr_t* hdr, const char* tag) {
    bcf_hrec_t* h = bcf_hdr_get_hrec(hdr, BCF_HL_INFO, "ID", tag, nullptr);
    if (!h) return {};
    const int i = bcf_hrec_find_key(h, "Description");
    if (i < 0 || !h->vals[i]) return {};
    return std::string(trim(h->vals[i], "\""));
}

bool string_info_tag(const bcf_hdr_t* hdr, const char* tag) {
    const int id = bcf_hdr_id2int(hdr, BCF_DT_ID, tag);
    return bcf_hdr_idinfo_exists(hdr, BCF_HL_INFO, id) &&
           bcf_hdr_id2type(hdr, BCF_HL_INFO, id) == BCF_HT_STR;
}

// The INFO string of `tag`, or an empty view when the record lacks it.
Sv info_string(const bcf_hdr_t* hdr, bcf1_t* rec, const char* tag, char*& buf, int& n) {
    const int len = bcf_get_info_string(hdr, rec, tag, &buf, &n);
    if (len <= 0 || !buf) return {};
    return value(Sv(buf, std::strlen(buf)));
}

}  // namespace

AnnotationParser::Layout AnnotationParser::make_layout(const std::vector<std::string>& fields) {
    Layout l;
    auto set = [](int& slot, int i) {
        if (slot < 0) slot = i;
    };
    for (size_t k = 0; k < fields.size(); ++k) {
        const Sv f = fields[k];
        const int i = static_cast<int>(k);
        if (f == "allele")
            set(l.allele, i);
        else if (f == "allele_num")
            set(l.allele_num, i);
        else if (f == "annotation" || f == "consequence" || f == "effect")
            set(l.consequence, i);
        else if (f == "annotation_impact" || f == "impact" || f == "effect_impact")
            set(l.impact, i);
        else if (f == "gene_name" || f == "symbol")
            set(l.gene, i);
        else if (f == "gene_id" || f == "gene")
            set(l.gene_id, i);
        else if (f == "feature_id" || f == "feature" || f == "transcript_id" || f == "transcript")
            set(l.feature, i);
        else if (f == "hgvs.c" || f == "hgvsc" || f == "hgvs_c")
            set(l.hgvs_c, i);
        else if (f == "hgvs.p" || f == "hgvsp" || f == "hgvs_p")
            set(l.hgvs_p, i);
        else if (f == "amino_acid_change")
            set(l.aa_change, i);
        else if (f == "genotype_number" || f == "genotype")
            set(l.genotype, i);
    }
    return l;
}

AnnotationParser::AnnotationParser(const bcf_hdr_t* hdr) {
    if (!hdr) return;
    auto usable = [](const Layout& l) {
        return l.gene >= 0 || l.impact >= 0 || l.consequence >= 0;
    };

    if ((has_ann_ = string_info_tag(hdr, "ANN"))) {
        ann_fields_ = pipe_field_names(info_description(hdr, "ANN"), false);
        ann_ = make_layout(ann_fields_);
        if (!usable(ann_)) {
            ann_fields_ = names_of(
                "allele|annotation|annotation_impact|gene_name|gene_id|feature_type|feature_id|"
                "transcript_biotype|rank|hgvs.c|hgvs.p|cdna.pos / cdna.length|"
                "cds.pos / cds.length|aa.pos / aa.length|distance|errors / warnings / info");
            ann_ = make_layout(ann_fields_);
        }
    }
    if ((has_eff_ = string_info_tag(hdr, "EFF"))) {
        eff_fields_ = pipe_field_names(info_description(hdr, "EFF"), true);
        eff_ = make_layout(eff_fields_);
        if (!usable(eff_)) {
            eff_fields_ = names_of(
                "effect_impact|functional_class|codon_change|amino_acid_change|"
                "amino_acid_length|gene_name|transcript_biotype|gene_coding|transcript_id|"
                "exon_rank|genotype_number");
            eff_ = make_layout(eff_fields_);
        }
    }
    if ((has_csq_ = string_info_tag(hdr, "CSQ"))) {
        csq_fields_ = pipe_field_names(info_description(hdr, "CSQ"), false);
        csq_ = make_layout(csq_fields_);
        if (!usable(csq_)) {
            csq_fields_ = names_of(
                "allele|consequence|impact|symbol|gene|feature_type|feature|biotype|exon|intron|"
                "hgvsc|hgvsp");
            csq_ = make_layout(csq_fields_);
        }
    }
    has_geneinfo_ = string_info_tag(hdr, "GENEINFO");
    has_clnsig_ = string_info_tag(hdr, "CLNSIG");
}

bool AnnotationParser::has_annotations() const {
    return has_ann_ || has_eff_ || has_csq_ || has_geneinfo_ || has_clnsig_;
}

void AnnotationParser::parse(const bcf_hdr_t* hdr, bcf1_t* rec,
                             std::vector<std::vector<Annotation>>& per_alt) const {
    if (!(rec->unpacked & BCF_UN_INFO)) bcf_unpack(rec, BCF_UN_INFO);
    const size_t n_alt = rec->n_allele > 1 ? static_cast<size_t>(rec->n_allele - 1) : 0;
    per_alt.resize(n_alt);
    Scratch& s = scratch();
    Sink sink(per_alt, s.used);
    if (n_alt == 0) return;

    s.alts.resize(n_alt);
    const Sv ref = rec->d.allele[0];
    bool shared_first = plain_bases(ref);
    for (size_t i = 0; i < n_alt; ++i) {
        const Sv alt = rec->d.allele[i + 1];
        AltKeys& k = s.alts[i];
        k.exact = k.minimal = k.vep = alt;
        if (plain_bases(alt) && plain_bases(ref) && to_lower(alt[0]) == to_lower(ref[0])) {
            k.minimal = alt.size() > 1 ? alt.substr(1) : Sv("-");
        } else {
            shared_first = false;
        }
    }
    if (shared_first)
        for (auto& k : s.alts) k.vep = k.minimal;

    auto allele_entries = [&](Sv text, const Layout& l, MatchOrder order, Sv source) {
        for_each_piece(text, ',', [&](Sv entry) {
            if (entry.find('|') == npos) return;  // empty or malformed
            split_into(entry, '|', s.fields);
            int alt = kAllAlts;
            const int num = l.allele_num >= 0 ? leading_int(field_at(s.fields, l.allele_num)) : -1;
            if (num >= 1 && static_cast<size_t>(num) <= n_alt) {
                alt = num - 1;
            } else if (l.allele >= 0) {
                alt = match_allele(field_at(s.fields, l.allele), s.alts, order);
            }
            Fields f;
            f.gene = field_at(s.fields, l.gene);
            f.gene_id = field_at(s.fields, l.gene_id);
            f.consequence = field_at(s.fields, l.consequence);
            f.impact = normalize_impact(field_at(s.fields, l.impact));
            f.feature = field_at(s.fields, l.feature);
            f.hgvs_c = strip_accession(field_at(s.fields, l.hgvs_c));
            f.hgvs_p = strip_accession(field_at(s.fields, l.hgvs_p));
            f.source = source;
            emit(sink, alt, n_alt, f);
        });
    };

    if (has_ann_)
        allele_entries(info_string(hdr, rec, "ANN", s.buf, s.n_buf), ann_, MatchOrder::SnpEff,
                       "ANN");
    if (has_csq_)
        allele_entries(info_string(hdr, rec, "CSQ", s.buf, s.n_buf), csq_, MatchOrder::Vep, "CSQ");

    if (has_eff_) {
        const Sv text = info_string(hdr, rec, "EFF", s.buf, s.n_buf);
        for_each_piece(text, ',', [&](Sv entry) {
            // Effect ( Impact | ... ): an entry without the parenthesised list is malformed.
            const size_t open = entry.find('(');
            if (open == npos) return;
            const size_t close = entry.rfind(')');
            const Sv inner =
                entry.substr(open + 1, close == npos || close < open ? npos : close - open - 1);
            split_into(inner, '|', s.fields);
            int alt = kAllAlts;
            if (eff_.genotype >= 0) {
                const int g = leading_int(field_at(s.fields, eff_.genotype));
                if (g >= 1 && static_cast<size_t>(g) <= n_alt) alt = g - 1;
            }
            Fields f;
            f.consequence = value(trim(entry.substr(0, open)));
            f.impact = normalize_impact(field_at(s.fields, eff_.impact));
            f.gene = field_at(s.fields, eff_.gene);
            f.gene_id = field_at(s.fields, eff_.gene_id);
            f.feature = field_at(s.fields, eff_.feature);
            f.hgvs_c = strip_accession(field_at(s.fields, eff_.hgvs_c));
            f.hgvs_p = strip_accession(field_at(s.fields, eff_.hgvs_p));
            if (eff_.aa_change >= 0) {
                // "p.Val38Ala/c.113T>C", "c.113T>C", "p.Val38Ala" or SnpEff 3's "V38A".
                s.hgvs_p.clear();
                s.hgvs_c.clear();
                for_each_piece(field_at(s.fields, eff_.aa_change), '/', [&](Sv part) {
                    part = trim(part);
                    if (part.starts_with("p.")) {
                        if (s.hgvs_p.empty()) s.hgvs_p.assign(part);
                    } else if (part.starts_with("c.") || part.starts_with("n.")) {
                        if (s.hgvs_c.empty()) s.hgvs_c.assign(part);
                    } else if (s.hgvs_p.empty()) {
                        one_letter_protein_change(part, s.hgvs_p);
                    }
                });
                if (f.hgvs_p.empty()) f.hgvs_p = s.hgvs_p;
                if (f.hgvs_c.empty()) f.hgvs_c = s.hgvs_c;
            }
            f.source = "EFF";
            emit(sink, alt, n_alt, f);
        });
    }

    if (has_geneinfo_ || has_clnsig_) {
        // ClinVar joins the parts of one allele's significance with ",_"
        // ("Pathogenic,_risk_factor"), so only a comma not followed by '_' separates alleles.
        const Sv cln = has_clnsig_ ? info_string(hdr, rec, "CLNSIG", s.buf2, s.n_buf2) : Sv{};
        s.pieces.clear();
        size_t start = 0;
        for (size_t i = 0; i <= cln.size() && !cln.empty(); ++i) {
            if (i == cln.size() || (cln[i] == ',' && (i + 1 == cln.size() || cln[i + 1] != '_'))) {
                s.pieces.push_back(cln.substr(start, i - start));
                start = i + 1;
            }
        }
        auto clinsig_of = [&](size_t alt) -> Sv {
            if (n_alt > 1 && s.pieces.size() == n_alt) return value(trim(s.pieces[alt]));
            return trim(cln);
        };

        bool any_gene = false;
        if (has_geneinfo_) {
            const Sv genes = info_string(hdr, rec, "GENEINFO", s.buf, s.n_buf);
            for_each_piece(genes, '|', [&](Sv g) {
                g = trim(g);
                if (value(g).empty()) return;
                const size_t colon = g.find(':');
                Fields f;
                f.gene = value(trim(g.substr(0, colon)));
                f.gene_id = colon == npos ? Sv{} : value(trim(g.substr(colon + 1)));
                if (f.gene.empty() && f.gene_id.empty()) return;
                f.source = "GENEINFO";
                for (size_t a = 0; a < n_alt; ++a) {
                    f.clinsig = clinsig_of(a);
                    fill(sink.add(a), f);
                }
                any_gene = true;
            });
        }
        if (!any_gene && !cln.empty()) {
            Fields f;
            f.source = "GENEINFO";
            for (size_t a = 0; a < n_alt; ++a) {
                f.clinsig = clinsig_of(a);
                if (!f.clinsig.empty()) fill(sink.add(a), f);
            }
        }
    }
    sink.finish();
}

}  // namespace vcfagent::vcf
