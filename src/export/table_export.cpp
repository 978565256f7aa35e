#include "export/table_export.hpp"

#include <cmath>
#include <set>

#include <nlohmann/json.hpp>

#include "common/text_join.hpp"

namespace vcfagent::exporting {

namespace {

using nlohmann::ordered_json;

const std::vector<std::string> kVariantColumns = {"key",   "chrom",   "pos",     "ref",  "alt",
                                                  "id",    "qual",    "filter",  "type", "af",
                                                  "genes", "impacts", "carriers"};
const std::vector<std::string> kCarrierColumns = {"key",    "chrom", "pos",      "ref", "alt",
                                                  "sample", "gt",    "zygosity", "dp",  "gq"};

// A sorted, distinct list of one annotation field of a record.
std::vector<std::string> distinct(const StoredRecord& rec, std::string StoredAnnotation::*field) {
    std::set<std::string> values;
    for (const auto& a : rec.annotations)
        if (!(a.*field).empty()) values.insert(a.*field);
    return {values.begin(), values.end()};
}

bool carries(const StoredCall& call) {
    return call.code == '1' || call.code == '2';
}

// One table row as JSON values in column order.
std::vector<ordered_json> variant_row(const StoredRecord& rec) {
    int64_t carriers = 0;
    for (const auto& call : rec.calls) carriers += carries(call);
    return {rec.key,
            rec.chrom,
            rec.pos,
            rec.ref,
            rec.alt,
            rec.rsid,
            std::isnan(rec.qual) ? ordered_json() : ordered_json(rec.qual),
            rec.filter,
            rec.vtype,
            rec.af ? ordered_json(*rec.af) : ordered_json(),
            join(distinct(rec, &StoredAnnotation::gene), ","),
            join(distinct(rec, &StoredAnnotation::impact), ","),
            carriers};
}

std::string tsv_cell(const ordered_json& v) {
    if (v.is_null()) return ".";
    if (v.is_string()) {
        const auto& s = v.get_ref<const std::string&>();
        return s.empty() ? "." : s;
    }
    return v.dump();
}

}  // namespace

int64_t write_table(StoredRecordReader& reader, std::ostream& out, TableRows rows,
                    TableFormat format) {
    const auto& columns = rows == TableRows::Variants ? kVariantColumns : kCarrierColumns;
    int64_t written = 0;
    auto emit = [&](const std::vector<ordered_json>& cells) {
        if (format == TableFormat::Tsv) {
            for (size_t i = 0; i < cells.size(); ++i) out << (i ? "\t" : "") << tsv_cell(cells[i]);
            out << '\n';
        } else {
            ordered_json row;
            for (size_t i = 0; i < cells.size(); ++i) row[columns[i]] = cells[i];
            out << (written ? ",\n" : "\n") << row.dump();
        }
        ++written;
    };
    if (format == TableFormat::Tsv)
        out << join(columns, "\t") << '\n';
    else
        out << '[';
    StoredRecord rec;
    while (reader.next(rec)) {
        if (rows == TableRows::Variants) {
            emit(variant_row(rec));
            continue;
        }
        for (size_t s = 0; s < rec.calls.size(); ++s) {
            const StoredCall& call = rec.calls[s];
            if (!carries(call)) continue;
            emit({rec.key, rec.chrom, rec.pos, rec.ref, rec.alt, reader.samples()[s], call.gt,
                  call.code == '2' ? "hom_alt" : "het",
                  call.dp >= 0 ? ordered_json(call.dp) : ordered_json(),
                  call.gq >= 0 ? ordered_json(call.gq) : ordered_json()});
        }
    }
    if (format == TableFormat::Json) out << (written ? "\n]\n" : "]\n");
    return written;
}

}  // namespace vcfagent::exporting
