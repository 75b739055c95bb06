-- wrk script: PATCH /v1/people/{id} to on leave and back, cycling over the seeded people p0..p(N-1): each a status change.
local n = tonumber(os.getenv("WD_PEOPLE") or "10000")
local headers = { ["Authorization"] = "Bearer " .. (os.getenv("WD_KEY") or ""), ["Content-Type"] = "application/json" }
local i = 0

request = function()
  i = i + 1
  local status = (math.floor(i / n) % 2 == 0) and "on_leave" or "active"
  return wrk.format("PATCH", "/v1/people/p" .. (i % n), headers, '{"status":"' .. status .. '"}')
end
