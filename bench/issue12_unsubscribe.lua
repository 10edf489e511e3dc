-- wrk script of issue 12: RFC 8058 one-click unsubscribe POSTs, each to the next token's URL.
--
-- Usage: wrk ... -s bench/issue12_unsubscribe.lua URL -- PATH TOKENS_FILE THREADS
--   PATH         /u/ (the URL's path, which wrk needs; each request names its own token)
--   TOKENS_FILE  one token a line; a request POSTs "List-Unsubscribe=One-Click" to /u/<token>
--                with no cookie, as a mail program does
--   THREADS      wrk's -t (a thread's state cannot count the others)
--
-- Each thread walks its own slice of the tokens, so no two threads unsubscribe the same one
-- while there are tokens left. The answer expected is 200; done() prints "WRKJSON {...}" in
-- rotate.lua's format, "non200" counting every answer that is not 200.

local threads = {}
local next_id = 1

function setup(thread)
   thread:set("id", next_id)
   table.insert(threads, thread)
   next_id = next_id + 1
end

function init(args)
   reqs = {}
   for line in io.lines(args[2]) do
      if #line > 0 then
         reqs[#reqs + 1] = wrk.format("POST", "/u/" .. line, {
            ["Content-Type"] = "application/x-www-form-urlencoded",
         }, "List-Unsubscribe=One-Click")
      end
   end
   local nthreads = tonumber(args[3]) or 1
   idx = math.floor(((id or 1) - 1) * #reqs / nthreads)
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
