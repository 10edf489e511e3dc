-- wrk script of issue 11: POST a JSON consent choice, each request as the next client.
--
-- Usage: wrk ... -s bench/issue11_consent.lua URL -- PATH TOKENS_FILE BODY
--   PATH         the consent URL (/consent/)
--   TOKENS_FILE  one CSRF token a line, each got by one client from GET /consent/; a request
--                sends it as the csrftoken cookie and the X-CSRFToken header, as the banner does
--   BODY         the JSON body, e.g. {"categories": ["performance"]}
--
-- The answer expected is 204; done() prints "WRKJSON {...}" in rotate.lua's format, "non200"
-- counting every answer that is not 204.

local threads = {}
local next_id = 1

function setup(thread)
   thread:set("id", next_id)
   table.insert(threads, thread)
   next_id = next_id + 1
end

function init(args)
   local path, file, body = args[1], args[2], args[3]
   reqs = {}
   for line in io.lines(file) do
      if #line > 0 then
         reqs[#reqs + 1] = wrk.format("POST", path, {
            ["Cookie"] = "csrftoken=" .. line,
            ["X-CSRFToken"] = line,
            ["Content-Type"] = "application/json",
         }, body)
      end
   end
   idx = ((id or 1) * 7919) % #reqs
   non200 = 0
   first_bad = 0
end

function request()
   idx = idx % #reqs + 1
   return reqs[idx]
end

function response(status, headers, body)
   if status ~= 204 then
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
