-- wrk script: orders for the households of a group buy's compounds, each to its compound's buy,
-- as staff and volunteers type them in for their neighbours.
-- LINLI_TOKEN: bearer token; LINLI_ORDERS: file of "buy item household" lines (shuffled);
-- LINLI_PATH: the path with %s for the buy, /api/v1/group-buys/%s/orders (Linli) or
-- /group-buy-order-rows/%s (linli-bench-bare's floor).
-- LINLI_PLACE (optional): a file keeping where each thread stopped, so that a run in several
-- rounds walks the lines as one run would: read before a round, written after it.
local token = os.getenv("LINLI_TOKEN")
local path = os.getenv("LINLI_PATH") or "/api/v1/group-buys/%s/orders"
local place = os.getenv("LINLI_PLACE")
local lines = {}
for line in io.lines(os.getenv("LINLI_ORDERS")) do
  local buy, item, household = line:match("^(%d+) (%d+) (%d+)")
  if buy then lines[#lines + 1] = { buy, item, household } end
end

-- Where each thread stopped in the rounds before (none: at the start).
local function saved_places()
  local saved = {}
  local file = place and io.open(place, "r")
  if file then
    for value in file:lines() do saved[#saved + 1] = tonumber(value) end
    file:close()
  end
  return saved
end

-- The two threads (-t2) take disjoint halves of the list, so no two connections race for the
-- same household's row, and Linli and the floor see the same orders in the same order.
local threads = {}
local saved = saved_places()
setup = function(thread)
  thread:set("part", #threads)
  thread:set("counter", saved[#threads + 1] or 0)
  threads[#threads + 1] = thread
end

local share = math.ceil(#lines / 2)
counter = 0
request = function()
  local first = part * share
  local size = math.min(share, #lines - first)
  local line = lines[first + (counter % size) + 1]
  -- The first pass over its half orders each line once (a new row); every later pass changes
  -- the quantity (1, 2, 3, 1, ...), as a household correcting its order does, so every request
  -- writes.
  local quantity = (math.floor(counter / size) % 3) + 1
  counter = counter + 1
  local body = '{"household_id":' .. line[3] .. ',"items":[{"item_id":' .. line[2] .. ',"quantity":' .. quantity .. '}]}'
  return wrk.format("PUT", string.format(path, line[1]), {
    ["Authorization"] = "Bearer " .. token,
    ["Content-Type"] = "application/json",
  }, body)
end

done = function(summary, latency, requests)
  io.write(string.format("non-2xx responses: %d\n", summary.errors.status))
  -- A request formatted but never sent is counted as sent: the next round starts one line on,
  -- which changes no line's quantity to the same one twice in a row.
  if place then
    local file = io.open(place, "w")
    for _, thread in ipairs(threads) do file:write(tostring(thread:get("counter")), "\n") end
    file:close()
  end
end
