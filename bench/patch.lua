-- wrk script: PATCH /v1/people/{id} with a new title, cycling over the seeded people p0..p(N-1).
local n = tonumber(os.getenv("WD_PEOPLE") or "10000")
local headers = { ["Authorization"] = "Bearer " .. (os.getenv("WD_KEY") or ""), ["Content-Type"] = "application/json" }
local i = 0

request = function()
  i = i + 1
  return wrk.format("PATCH", "/v1/people/p" .. (i % n), headers, '{"title":"Title ' .. i .. '"}')
end
