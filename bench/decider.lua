-- wrk script: GET /v1/initiatives/{id}/decider for seeded initiatives i0..i(N-1), in a fixed random order; at WD_AT
-- when it is set (a past time), else now.
local n = tonumber(os.getenv("WD_INITIATIVES") or "100000")
local at = os.getenv("WD_AT") or ""
local query = at == "" and "" or ("?at=" .. at)
local headers = { ["Authorization"] = "Bearer " .. (os.getenv("WD_KEY") or "") }
math.randomseed(42)

request = function()
  return wrk.format("GET", "/v1/initiatives/i" .. math.random(0, n - 1) .. "/decider" .. query, headers)
end
