-- wrk script: file requests on behalf of households, as staff do during a surge.
-- LINLI_TOKEN: bearer token; LINLI_HOUSEHOLDS: file with one household id per line;
-- LINLI_PATH: /api/v1/requests (Linli) or /rows (the bare handler);
-- LINLI_KEY_PREFIX: the Idempotency-Keys' prefix ("bench" unless set), so that two wrk processes
-- filing as the same account at once send keys of their own.
local token = os.getenv("LINLI_TOKEN")
local path = os.getenv("LINLI_PATH") or "/api/v1/requests"
local prefix = os.getenv("LINLI_KEY_PREFIX") or "bench"
local categories = { "food", "medicine", "daily_supplies", "testing", "transport", "other", "emergency_medical" }
local households = {}
for line in io.lines(os.getenv("LINLI_HOUSEHOLDS")) do households[#households + 1] = line end

local threads = 0
local share = 20000
setup = function(thread)
  -- The two threads take disjoint halves of the household list.
  thread:set("offset", threads * share)
  threads = threads + 1
end

local counter = 0
request = function()
  local index = offset + (counter % share)
  local household = households[(index % #households) + 1]
  -- Each pass over its half moves a thread to the next category, so no household files the same
  -- category twice (which Linli would answer 409: an open request of that kind exists).
  local category = categories[(math.floor(counter / share) % #categories) + 1]
  counter = counter + 1
  local body = '{"household_id":' .. household .. ',"category":"' .. category .. '","description":"团购登记：大米一袋，鸡蛋一箱"}'
  return wrk.format("POST", path, {
    ["Authorization"] = "Bearer " .. token,
    ["Content-Type"] = "application/json",
    ["Idempotency-Key"] = prefix .. "-" .. offset .. "-" .. counter,
  }, body)
end

local statuses = {}
response = function(status)
  statuses[status] = (statuses[status] or 0) + 1
end

done = function(summary, latency, requests)
  io.write(string.format("non-2xx responses: %d\n", summary.errors.status))
end
