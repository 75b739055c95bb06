-- wrk script: GET /v1/initiatives/{id}/decider for seeded initiatives i0..i(N-1), in a fixed random order.
local n = tonumber(os.getenv("WD_INITIATIVES") or "100000")
local headers = { ["Authorization"] = "Bearer " .. (os.getenv("WD_KEY") or "") }
math.randomseed(42)

request = function()
  return wrk.format("GET", "/v1/initiatives/i" .. math.random(0, n - 1) .. "/decider", headers)
end
