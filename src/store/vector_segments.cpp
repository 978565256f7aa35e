#include "store/vector_segments.hpp"

#include <algorithm>
#include <cstdio>
#include <string>

#include "common/error.hpp"
#include "store/vector_io.hpp"

namespace vcfagent::store {

namespace fs = std::filesystem;

namespace {

constexpr const char* kColsMagic = "VCFAVCOL";
constexpr const char* kVectorsMagic = "VCFAVF32";
constexpr uint32_t kFormat = 2;
constexpr int64_t kReadChunkRows = 8192;

std::string segment_name(uint64_t begin, uint64_t end, const char* ext) {
    return "seg." + std::to_string(begin) + "-" + std::to_string(end) + "." + ext;
}

}  // namespace

std::vector<RowSegment> segments_of(const ManifestVersion& v, const fs::path& vdir) {
    std::vector<RowSegment> out;
    for (const auto& f : v.files) {
        unsigned long long b = 0, e = 0;
        int used = 0;
        if (std::sscanf(f.name.c_str(), "seg.%llu-%llu.cols%n", &b, &e, &used) != 2 ||
            used != static_cast<int>(f.name.size()))
            continue;
        const ManifestFile* vec = v.file(segment_name(b, e, "f32"));
        if (!vec)
            throw StoreError(vdir.string() + ": manifest lists " + f.name + " without its vectors");
        out.push_back({b, e, f, *vec});
    }
    std::sort(out.begin(), out.end(),
              [](const auto& x, const auto& y) { return x.begin < y.begin; });
    uint64_t next = 0;
    for (const auto& s : out) {
        if (s.begin != next || s.end <= s.begin)
            throw StoreError(vdir.string() +
                             ": row segments do not tile the rows (gap or overlap at row " +
                             std::to_string(next) + ")");
        next = s.end;
    }
    if (next != v.rows)
        throw StoreError(
            vdir.string() + ": row segments hold " + std::to_string(next) +
            " rows, the manifest says " + std::to_string(v.rows) +
            (out.empty() && v.rows > 0 ? " (a store written by an older vcf-agent?)" : ""));
    return out;
}

RowSegment write_segment(const fs::path& vdir, uint64_t begin, uint64_t end, const KeyTable& keys,
                         const AttributeColumns& attrs, int dim,
                         const std::function<const float*(int64_t)>& vector_of,
                         const std::function<int64_t(int64_t)>& run_end) {
    RowSegment s{
        begin, end, {segment_name(begin, end, "cols"), {}}, {segment_name(begin, end, "f32"), {}}};
    {
        HashingWriter w(vdir / s.cols.name);
        write_header(w, kColsMagic, kFormat);
        write_pod<uint64_t>(w, end - begin);
        keys.write_rows(w, begin, end);
        attrs.write_rows(w, begin, end);
        s.cols.digest = w.finish();
    }
    {
        HashingWriter w(vdir / s.vectors.name);
        write_header(w, kVectorsMagic, kFormat);
        write_pod<uint64_t>(w, end - begin);
        write_pod<uint32_t>(w, static_cast<uint32_t>(dim));
        for (auto r = static_cast<int64_t>(begin); r < static_cast<int64_t>(end);) {
            const int64_t stop = std::min<int64_t>(run_end(r), static_cast<int64_t>(end));
            w.write(vector_of(r), static_cast<size_t>(stop - r) * dim * sizeof(float));
            r = stop;
        }
        s.vectors.digest = w.finish();
    }
    return s;
}

void read_segment_columns(const fs::path& vdir, const RowSegment& s, KeyTable& keys,
                          AttributeColumns& attrs) {
    const fs::path path = vdir / s.cols.name;
    verify_file(path, s.cols.digest);
    FileReader r(path);
    read_header(r, kColsMagic, kFormat);
    const auto rows = read_pod<uint64_t>(r);
    if (rows != s.end - s.begin)
        throw StoreError(path.string() + ": holds " + std::to_string(rows) +
                         " rows, its name says " + std::to_string(s.end - s.begin));
    keys.read_rows_append(r, rows);
    attrs.read_rows_append(r, rows);
    r.expect_end();
}

void read_segment_vectors(const fs::path& vdir, const RowSegment& s, int dim,
                          const std::function<void(uint64_t, int64_t, const float*)>& sink) {
    const fs::path path = vdir / s.vectors.name;
    verify_file(path, s.vectors.digest);
    FileReader r(path);
    read_header(r, kVectorsMagic, kFormat);
    const auto rows = read_pod<uint64_t>(r);
    const auto stored_dim = read_pod<uint32_t>(r);
    if (rows != s.end - s.begin || stored_dim != static_cast<uint32_t>(dim))
        throw StoreError(path.string() + ": holds " + std::to_string(rows) +
                         " vectors of dimension " + std::to_string(stored_dim) + ", expected " +
                         std::to_string(s.end - s.begin) + " of dimension " + std::to_string(dim));
    std::vector<float> buf;
    for (uint64_t row = s.begin; row < s.end;) {
        const int64_t n = std::min<int64_t>(kReadChunkRows, static_cast<int64_t>(s.end - row));
        buf.resize(static_cast<size_t>(n) * dim);
        r.read(buf.data(), buf.size() * sizeof(float));
        sink(row, n, buf.data());
        row += static_cast<uint64_t>(n);
    }
    r.expect_end();
}

}  // namespace vcfagent::store
