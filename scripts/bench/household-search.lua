-- wrk script: household searches as staff type them, cycling through a realistic mix.
-- The bearer token comes from the environment (LINLI_TOKEN), set by scripts/bench/household-search.
local token = os.getenv("LINLI_TOKEN")
local queries = {
  "/api/v1/households?room=1502",
  "/api/v1/households?name=%E5%BC%A0",                    -- 张
  "/api/v1/households?name=%E7%8E%8B%E7%A7%80",           -- 王秀
  "/api/v1/households?phone_tail=5678",
  "/api/v1/households?phone_tail=0321",
  "/api/v1/households?building=3&room=201",
  "/api/v1/households?building=12",
  "/api/v1/households?room=301&offset=50",
  "/api/v1/households?name=%E6%9D%8E%E5%BB%BA%E5%9B%BD",  -- 李建国
  "/api/v1/households?phone_tail=8888&limit=20",
}
local counter = 0
request = function()
  counter = counter + 1
  local path = queries[(counter % #queries) + 1]
  return wrk.format("GET", path, { ["Authorization"] = "Bearer " .. token })
end
