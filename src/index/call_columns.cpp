#include "index/call_columns.hpp"

#include <algorithm>

#include "common/error.hpp"
#include "store/call_rows.hpp"

namespace vcfagent::index {

namespace {
// 2-bit value of a code; 4 for a character no call vector holds.
uint8_t code_value(char c) {
    switch (c) {
        case '0':
            return 0;
        case '1':
            return 1;
        case '2':
            return 2;
        case '.':
            return 3;
        default:
            return 4;
    }
}
}  // namespace

void CallColumns::add(uint32_t row, uint32_t source, uint32_t first, std::string_view codes) {
    if (abandoned_) return;
    Part& p = parts_[{source, first}];
    if (p.packed.empty() && p.runs.empty()) p.length = static_cast<uint32_t>(codes.size());
    if (codes.size() != p.length || p.length == 0) {
        ambiguous_.insert(source);
        return;
    }
    const uint32_t stride = p.stride();
    if (bytes_ + stride > budget_) {
        abandon();
        return;
    }
    const uint32_t slot = p.slots();
    const size_t at = p.packed.size();
    p.packed.resize(at + stride, 0);
    bytes_ += stride;
    for (uint32_t k = 0; k < p.length; ++k) {
        uint8_t v = code_value(codes[k]);
        if (v > 3) {
            ambiguous_.insert(source);
            v = 3;
        }
        p.packed[at + k / 4] |= static_cast<uint8_t>(v << (2 * (k % 4)));
    }
    if (!p.runs.empty()) {
        Run& last = p.runs.back();
        if (last.row + last.count == row && last.slot + last.count == slot) {
            ++last.count;
            return;
        }
        if (row < last.row + last.count) p.sorted = false;
    }
    p.runs.push_back({row, 1, slot});
}

void CallColumns::add_vector(uint32_t row, uint32_t source, std::string_view gt) {
    const auto width = static_cast<int64_t>(gt.size());
    for (int64_t first = 0; first < width; first += store::kSamplesPerCallsRow)
        add(row, source, static_cast<uint32_t>(first),
            gt.substr(static_cast<size_t>(first),
                      static_cast<size_t>(std::min(store::kSamplesPerCallsRow, width - first))));
}

void CallColumns::merge(CallColumns&& other) {
    if (abandoned_) return;
    if (other.abandoned_) {
        abandon();
        return;
    }
    ambiguous_.insert(other.ambiguous_.begin(), other.ambiguous_.end());
    if (bytes_ + other.bytes_ > budget_) {
        abandon();
        return;
    }
    for (auto& [key, theirs] : other.parts_) {
        auto [it, fresh] = parts_.try_emplace(key);
        Part& ours = it->second;
        if (fresh) {
            ours = std::move(theirs);
            continue;
        }
        if (theirs.length != ours.length) {
            ambiguous_.insert(key.first);
            continue;
        }
        const uint32_t offset = ours.slots();
        const uint32_t last_end =
            ours.runs.empty() ? 0 : ours.runs.back().row + ours.runs.back().count;
        for (Run r : theirs.runs) {
            r.slot += offset;
            ours.runs.push_back(r);
        }
        if (!theirs.runs.empty() && (!theirs.sorted || theirs.runs.front().row < last_end))
            ours.sorted = false;
        ours.packed.insert(ours.packed.end(), theirs.packed.begin(), theirs.packed.end());
    }
    bytes_ += other.bytes_;
    covered = std::max(covered, other.covered);
    other = CallColumns(other.budget_);
}

void CallColumns::settle() {
    for (auto& [key, p] : parts_) {
        if (p.sorted) continue;
        std::sort(p.runs.begin(), p.runs.end(),
                  [](const Run& a, const Run& b) { return a.row < b.row; });
        for (size_t i = 1; i < p.runs.size(); ++i)
            if (p.runs[i - 1].row + p.runs[i - 1].count > p.runs[i].row)
                ambiguous_.insert(key.first);
        p.sorted = true;
    }
}

bool CallColumns::usable(uint32_t source) const {
    return !abandoned_ && ambiguous_.count(source) == 0;
}

void CallColumns::abandon() {
    parts_.clear();
    ambiguous_.clear();
    bytes_ = 0;
    abandoned_ = true;
    abandoned_budget_ = budget_;
}

const uint8_t* CallColumns::part(uint32_t source, uint32_t first, uint32_t row) const {
    const auto it = parts_.find({source, first});
    if (it == parts_.end()) return nullptr;
    const Part& p = it->second;
    // The last run starting at or before `row`.
    auto run = std::upper_bound(p.runs.begin(), p.runs.end(), row,
                                [](uint32_t r, const Run& x) { return r < x.row; });
    if (run == p.runs.begin()) return nullptr;
    --run;
    if (row >= run->row + run->count) return nullptr;
    return p.packed.data() + static_cast<size_t>(run->slot + (row - run->row)) * p.stride();
}

int64_t CallColumns::carriers(uint32_t source, uint32_t row) const {
    int64_t n = 0;
    for (auto it = parts_.lower_bound({source, 0}); it != parts_.end() && it->first.first == source;
         ++it) {
        const uint8_t* packed = part(source, it->first.second, row);
        if (!packed) continue;
        for (uint32_t k = 0; k < it->second.length; ++k) {
            const char c = code(packed, k);
            n += c == '1' || c == '2';
        }
    }
    return n;
}

void CallColumns::park(SpillFile& spill) {
    std::vector<std::pair<PartKey, uint64_t>> chunk;
    for (auto& [key, p] : parts_) {
        if (p.packed.empty()) continue;
        spill.append(p.packed.data(), p.packed.size());
        chunk.emplace_back(key, p.packed.size());
        p.parked += static_cast<uint32_t>(p.packed.size() / p.stride());
        p.packed.clear();
        p.packed.shrink_to_fit();
    }
    if (!chunk.empty()) parked_chunks_.push_back(std::move(chunk));
}

void CallColumns::unpark(const SpillFile& spill) {
    if (parked_chunks_.empty()) return;
    // Parked codes come first in each part; codes added since the last park follow them.
    std::map<PartKey, std::vector<uint8_t>> back;
    uint64_t at = 0;
    for (const auto& chunk : parked_chunks_)
        for (const auto& [key, bytes] : chunk) {
            auto& out = back[key];
            const size_t old = out.size();
            out.resize(old + bytes);
            spill.read(at, out.data() + old, bytes);
            at += bytes;
        }
    for (auto& [key, codes] : back) {
        Part& p = parts_.at(key);
        codes.insert(codes.end(), p.packed.begin(), p.packed.end());
        p.packed = std::move(codes);
        p.parked = 0;
    }
    parked_chunks_.clear();
}

size_t CallColumns::memory_bytes() const {
    size_t bytes = 0;
    for (const auto& [key, p] : parts_)
        bytes += p.packed.capacity() + p.runs.capacity() * sizeof(Run) + 64;
    return bytes;
}

void CallColumns::write(HashingWriter& w) const {
    write_pod<int64_t>(w, covered);
    write_pod<uint8_t>(w, abandoned_ ? 1 : 0);
    write_pod<uint64_t>(w, abandoned_budget_);
    write_pod<uint64_t>(w, ambiguous_.size());
    for (const uint32_t s : ambiguous_) write_pod<uint32_t>(w, s);
    write_pod<uint64_t>(w, parts_.size());
    for (const auto& [key, p] : parts_) {
        write_pod<uint32_t>(w, key.first);
        write_pod<uint32_t>(w, key.second);
        write_pod<uint32_t>(w, p.length);
        write_array(w, p.runs.data(), p.runs.size());
        write_array(w, p.packed.data(), p.packed.size());
    }
}

void CallColumns::read(FileReader& r) {
    *this = CallColumns(budget_);
    covered = read_pod<int64_t>(r);
    abandoned_ = read_pod<uint8_t>(r) != 0;
    abandoned_budget_ = read_pod<uint64_t>(r);
    const auto ambiguous = read_pod<uint64_t>(r);
    for (uint64_t i = 0; i < ambiguous; ++i) ambiguous_.insert(read_pod<uint32_t>(r));
    const auto parts = read_pod<uint64_t>(r);
    auto damaged = [&](const char* what) {
        return StoreError(r.path().string() + ": the call columns' " + what);
    };
    for (uint64_t i = 0; i < parts; ++i) {
        const auto source = read_pod<uint32_t>(r);
        const auto first = read_pod<uint32_t>(r);
        Part& p = parts_[{source, first}];
        p.length = read_pod<uint32_t>(r);
        if (p.length == 0) throw damaged("part length is 0");
        p.runs.resize(read_pod<uint64_t>(r));
        if (!p.runs.empty()) r.read(p.runs.data(), p.runs.size() * sizeof(Run));
        p.packed.resize(read_pod<uint64_t>(r));
        if (!p.packed.empty()) r.read(p.packed.data(), p.packed.size());
        if (p.packed.size() % p.stride() != 0) throw damaged("codes are cut short");
        uint32_t last_end = 0;
        for (const Run& run : p.runs) {
            // (A row with two vectors of an ambiguous file overlaps its neighbour.)
            if ((run.row < last_end && !ambiguous_.count(source)) ||
                uint64_t{run.slot} + run.count > p.slots())
                throw damaged("runs are out of order or range");
            last_end = run.row + run.count;
        }
        bytes_ += p.packed.size();
    }
    // A budget lowered since the save applies to what was saved too.
    if (bytes_ > budget_) abandon();
    if (abandoned_ && budget_ > abandoned_budget_) *this = CallColumns(budget_);
}

}  // namespace vcfagent::index
