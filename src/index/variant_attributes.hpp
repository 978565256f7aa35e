#pragma once
// The attributes people filter similarity searches by, cached from the graph as compact
// columns beside the ANN index: one array per attribute indexed by row id, strings
// dictionary-encoded, no per-row heap objects. A variant's genes are its InGene edges, as in
// `query gene`: the first is its primary gene (shown in results), the others are kept in a
// short side list, so a gene filter matches any of them.
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "index/index_io.hpp"
#include "vcf/variant.hpp"

namespace vcfagent::index {

// Predicted impact, ordered so that a larger value is worse (SnpEff/VEP IMPACT).
enum class Impact : uint8_t { None = 0, Modifier, Low, Moderate, High };
std::string_view to_string(Impact impact);
// Case-insensitive; accepts NONE/"" for None. Returns false for an unknown name.
bool parse_impact(std::string_view name, Impact& out);
// The worst impact over a variant's annotations (None without annotations).
Impact worst_impact(const vcf::Variant& v);

// A decoded row, for results.
struct VariantAttributes {
    std::string chrom;
    int64_t pos = 0;
    vcf::VariantClass vclass = vcf::VariantClass::Snv;
    std::string gene;  // the primary gene; "" when none
    Impact impact = Impact::None;
    float af = std::numeric_limits<float>::quiet_NaN();
    uint32_t source = 0;
};

// Append-only string -> code dictionary. Code 0 is always the empty string, so "unknown"
// needs no sentinel. Codes never change, so columns written earlier stay valid.
class StringDictionary {
  public:
    StringDictionary();
    uint32_t intern(std::string_view s);
    // kNotFound when absent.
    uint32_t find(std::string_view s) const;
    const std::string& name(uint32_t code) const { return names_[code]; }
    size_t size() const { return names_.size(); }
    void write(HashingWriter& w) const;
    void read(FileReader& r);
    static constexpr uint32_t kNotFound = std::numeric_limits<uint32_t>::max();

  private:
    std::vector<std::string> names_;
    std::unordered_map<std::string, uint32_t> codes_;
};

class AttributeColumns {
  public:
    void append(const vcf::Variant& v, uint32_t source);
    size_t size() const { return pos_.size(); }
    VariantAttributes row(int64_t r) const;
    void reserve(size_t rows);

    const std::vector<uint32_t>& chrom() const { return chrom_; }
    const std::vector<int64_t>& pos() const { return pos_; }
    const std::vector<uint8_t>& vclass() const { return vclass_; }
    const std::vector<uint32_t>& gene() const { return gene_; }
    // (row << 32 | gene code) of every gene after a row's first, in row order.
    const std::vector<uint64_t>& other_genes() const { return other_genes_; }
    const std::vector<uint8_t>& impact() const { return impact_; }
    const std::vector<float>& af() const { return af_; }
    const std::vector<uint32_t>& source() const { return source_; }
    const StringDictionary& chroms() const { return chroms_; }
    const StringDictionary& genes() const { return genes_; }

    // Every column and dictionary; read() replaces the contents with what write() wrote.
    void write(HashingWriter& w) const;
    void read(FileReader& r);
    // Memory held by the columns and dictionaries, in bytes (approximate for dictionaries).
    size_t memory_bytes() const;

  private:
    StringDictionary chroms_;
    StringDictionary genes_;
    std::vector<uint32_t> chrom_;
    std::vector<int64_t> pos_;
    std::vector<uint8_t> vclass_;
    std::vector<uint32_t> gene_;
    std::vector<uint64_t> other_genes_;
    std::vector<uint8_t> impact_;
    std::vector<float> af_;
    std::vector<uint32_t> source_;
};

}  // namespace vcfagent::index
