-- wrk script for bench/serve_load.sh: one request kind per run (ENDPOINT env: region, search,
-- genotype), or "mix" (each request one of the three: 45% regions, 45% searches, 10% genotype
-- filters); bearer token from TOKEN; regions and searches spread over the store by a seeded
-- random walk.
local kind = os.getenv("ENDPOINT") or "region"
local token = os.getenv("TOKEN") or ""
local keys = {}
for k in string.gmatch(os.getenv("KEYS") or "", "[^,]+") do keys[#keys + 1] = k end
local chroms = {"chr1", "chr2", "chr3", "chr4", "chr5", "chr6", "chr7", "chr8"}
local samples = tonumber(os.getenv("SAMPLES") or "10")

local threads = {}
function setup(thread)
  thread:set("id", math.random(1, 1000000))
  table.insert(threads, thread)
end
function init(args)
  math.randomseed(id)
  overloaded, failed = 0, 0  -- per thread: 503 answers, other non-2xx answers
end
function response(status, headers, body)
  if status == 503 then overloaded = overloaded + 1
  elseif status >= 300 then failed = failed + 1 end
end

local function sample(i) return string.format("SAMPLE%05d", i) end

request = function()
  local endpoint = kind
  if kind == "mix" then
    local r = math.random(100)
    endpoint = r <= 45 and "region" or (r <= 90 and "search" or "genotype")
  end
  local headers = {["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json"}
  if endpoint == "region" then
    local c = chroms[math.random(#chroms)]
    local beg = math.random(1, 100000000)
    return wrk.format("GET", string.format("/v1/variants?region=%s:%d-%d&limit=20", c, beg, beg + 20000),
                      headers)
  elseif endpoint == "search" then
    return wrk.format("GET", "/v1/search?k=10&like=" .. keys[math.random(#keys)], headers)
  elseif endpoint == "genotype" then
    local a, b = math.random(1, samples), math.random(1, samples)
    if a == b then b = (a % samples) + 1 end
    local c = chroms[math.random(#chroms)]
    local beg = math.random(1, 100000000)
    local body = string.format('{"het": ["%s"], "hom_ref": ["%s"], "region": "%s:%d-%d", "limit": 20}',
                               sample(a), sample(b), c, beg, beg + 200000)
    return wrk.format("POST", "/v1/tools/genotype_filter", headers, body)
  end
end

done = function(summary, latency, requests)
  local errors = summary.errors.status + summary.errors.connect + summary.errors.read +
                 summary.errors.write + summary.errors.timeout
  local n503, nother = 0, 0
  for _, t in ipairs(threads) do
    n503 = n503 + (t:get("overloaded") or 0)
    nother = nother + (t:get("failed") or 0)
  end
  io.write(string.format("RESULT %s requests=%d seconds=%.1f rps=%.0f p50_ms=%.2f p95_ms=%.2f p99_ms=%.2f errors=%d " ..
                         "status503=%d status_other=%d timeouts=%d\n",
                         kind, summary.requests, summary.duration / 1e6,
                         summary.requests / (summary.duration / 1e6),
                         latency:percentile(50) / 1000, latency:percentile(95) / 1000,
                         latency:percentile(99) / 1000, errors, n503, nother, summary.errors.timeout))
end
