package org.bitcoincommons.sv2.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The worker-series cap keeps the busiest workers and sums the rest into one "_other" row. */
class ApiCapTest
{
    @Test
    void busiestKeptRestSummed()
    {
        final List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < 5; i++)
        {
            final Map<String, Object> r = new LinkedHashMap<>();
            r.put("name", "w" + i);
            r.put("shares_accepted", (long)i);
            r.put("shares_rejected", 1L);
            r.put("hashrate_1m", (double)i * 100);
            r.put("difficulty", 2.0);
            rows.add(r);
        }
        final List<Map<String, Object>> capped = ApiServer.capped(rows, 2);
        assertEquals(3, capped.size());
        assertEquals("w4", capped.get(0).get("name"));
        assertEquals("w3", capped.get(1).get("name"));
        assertEquals("_other", capped.get(2).get("name"));
        assertEquals(0.0 + 1 + 2, (double)capped.get(2).get("shares_accepted"));
        assertEquals(300.0, (double)capped.get(2).get("hashrate_1m"));
        assertEquals(2.0, (double)capped.get(2).get("difficulty"), 1e-12);
        assertEquals(rows, ApiServer.capped(rows, 5), "under the cap: unchanged");
    }
}
