-- wrk script: GET one path, each request carrying the next subscriber's credentials.
--
-- Usage: wrk ... -s bench/rotate.lua URL -- PATH [HEADER VALUES_FILE]
--   PATH         the path to request (e.g. /api/v1/me)
--   HEADER       the header that carries the credential ("Cookie" or "Authorization")
--   VALUES_FILE  one header value per line (e.g. "sessionid=..." or "Bearer ...")
--   With HEADER "PATHS", VALUES_FILE holds one path per line instead (e.g. one search query
--   each), requested in turn without a credential.
--
-- Rotating the credentials makes each request a different subscriber, so per-subject work
-- (session look-up, data key unwrap, decryption) is measured rather than one warm cache entry.
-- done() prints one line "WRKJSON {...}" that bench/run.py parses: counts, latency
-- percentiles in microseconds, and how many answers were not 200 (wrk itself only counts
-- status >= 400 as errors, so a redirect to the login page would otherwise look like success).

local threads = {}
local next_id = 1

function setup(thread)
   thread:set("id", next_id)
   table.insert(threads, thread)
   next_id = next_id + 1
end

function init(args)
   local path = args[1] or "/"
   local header = args[2]
   local file = args[3]
   reqs = {}
   if header and file then
      for line in io.lines(file) do
         if #line > 0 then
            if header == "PATHS" then
               reqs[#reqs + 1] = wrk.format("GET", line)
            else
               reqs[#reqs + 1] = wrk.format("GET", path, { [header] = line })
            end
         end
      end
   end
   if #reqs == 0 then
      reqs[1] = wrk.format("GET", path)
   end
   -- Each thread starts at a different place in the list so they do not move in lock step.
   idx = ((id or 1) * 7919) % #reqs
   non200 = 0
   first_bad = 0
end

function request()
   idx = idx % #reqs + 1
   return reqs[idx]
end

function response(status, headers, body)
   if status ~= 200 then
      non200 = non200 + 1
      if first_bad == 0 then first_bad = status end
   end
end

function done(summary, latency, requests)
   local bad, bad_status = 0, 0
   for _, t in ipairs(threads) do
      bad = bad + (t:get("non200") or 0)
      local s = t:get("first_bad") or 0
      if s ~= 0 then bad_status = s end
   end
   local e = summary.errors
   io.write(string.format(
      'WRKJSON {"requests": %d, "duration_us": %d, "bytes": %d, "p50_us": %d, "p90_us": %d, '
      .. '"p95_us": %d, "p99_us": %d, "max_us": %d, "mean_us": %.1f, "non200": %d, '
      .. '"first_bad_status": %d, "errors": {"connect": %d, "read": %d, "write": %d, '
      .. '"status": %d, "timeout": %d}}\n',
      summary.requests, summary.duration, summary.bytes,
      latency:percentile(50), latency:percentile(90), latency:percentile(95),
      latency:percentile(99), latency.max, latency.mean, bad, bad_status,
      e.connect, e.read, e.write, e.status, e.timeout))
end
