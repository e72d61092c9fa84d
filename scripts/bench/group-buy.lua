-- wrk script: orders for the households of a group buy's compounds, each to its compound's buy,
-- as staff and volunteers type them in for their neighbours.
-- LINLI_TOKEN: bearer token; LINLI_ORDERS: file of "buy item household" lines (shuffled);
-- LINLI_PATH: the path with %s for the buy, /api/v1/group-buys/%s/orders (Linli) or
-- /group-buy-order-rows/%s (linli-bench-bare's floor).
local token = os.getenv("LINLI_TOKEN")
local path = os.getenv("LINLI_PATH") or "/api/v1/group-buys/%s/orders"
local lines = {}
for line in io.lines(os.getenv("LINLI_ORDERS")) do
  local buy, item, household = line:match("^(%d+) (%d+) (%d+)")
  if buy then lines[#lines + 1] = { buy, item, household } end
end

-- The two threads (-t2) take disjoint halves of the list, so no two connections race for the
-- same household's row, and Linli and the floor see the same orders in the same order.
local threads = 0
setup = function(thread)
  thread:set("part", threads)
  threads = threads + 1
end

local share = math.ceil(#lines / 2)
local counter = 0
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
end
