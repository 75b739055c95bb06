-- wrk script: PATCH /v1/initiatives/{id} with a new description, cycling over the seeded initiatives i0..i(N-1).
local n = tonumber(os.getenv("WD_INITIATIVES") or "10000")
local headers = { ["Authorization"] = "Bearer " .. (os.getenv("WD_KEY") or ""), ["Content-Type"] = "application/json" }
local i = 0

request = function()
  i = i + 1
  return wrk.format("PATCH", "/v1/initiatives/i" .. (i % n), headers, '{"description":"Description ' .. i .. '"}')
end
