-- wrk script of bench/web.py: cycles the page paths listed in a file (one a line), sends the
-- session cookie, optionally paces the requests to a total rate, and prints the run's figures
-- as one JSON line at the end.
--   [WEB_BENCH_RATE=R] wrk -t1 -c50 -d10s -s bench/web_cycle.lua http://127.0.0.1:PORT -- PATHS COOKIE
-- With WEB_BENCH_RATE (requests/s, for one wrk thread; an environment variable because wrk
-- decides whether a script paces before it passes the arguments) each next request waits for its slot in an
-- even schedule (wrk's delay()), so the server is offered RATE requests/s by all the
-- connections together instead of as many as it can take; latency is timed from the send.
-- A slot missed is not sent later: when the server falls behind, the run is the closed loop
-- again (bench/web.py's docstring says how to read a paced line).
local ffi = require("ffi")
ffi.cdef [[
  typedef struct { long tv_sec; long tv_nsec; } almanac_timespec;
  int clock_gettime(int clock_id, almanac_timespec *tp);
]]
local ts = ffi.new("almanac_timespec")

local function now_ms()
  ffi.C.clock_gettime(1, ts) -- CLOCK_MONOTONIC
  return tonumber(ts.tv_sec) * 1000 + tonumber(ts.tv_nsec) / 1e6
end

local paths = {}
local cookie = ""
local counter = 0
local rate = tonumber(os.getenv("WEB_BENCH_RATE") or "")
local interval = (rate and rate > 0) and 1000 / rate or nil
local next_slot = nil

function init(args)
  for line in io.lines(args[1]) do
    if line ~= "" then paths[#paths + 1] = line end
  end
  cookie = args[2] or ""
  counter = math.random(#paths) - 1
end

function request()
  counter = counter + 1
  local path = paths[(counter % #paths) + 1]
  return wrk.format("GET", path, { ["Cookie"] = cookie, ["Accept-Encoding"] = "gzip, deflate" })
end

if interval then
  function delay()
    local now = now_ms()
    if next_slot == nil or next_slot < now then next_slot = now end
    local wait = next_slot - now
    next_slot = next_slot + interval
    return math.floor(wait)
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "bytes": %d, "p50_us": %d, "p95_us": %d, ' ..
    '"p99_us": %d, "max_us": %d, "connect": %d, "read": %d, "write": %d, "status": %d, ' ..
    '"timeout": %d}\n',
    summary.requests, summary.duration, summary.bytes,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max,
    e.connect, e.read, e.write, e.status, e.timeout))
end
