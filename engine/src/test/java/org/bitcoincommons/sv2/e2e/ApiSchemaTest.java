package org.bitcoincommons.sv2.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import org.bitcoincommons.sv2.api.ApiServer;
import org.bitcoincommons.sv2.miner.MinerClient;
import org.bitcoincommons.sv2.miner.MinerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Live API responses against the JSON Schemas in docs/api (the contract scripts rely on): a pool with an SV2 and an
 * SV1 miner that find blocks, each endpoint fetched and validated; a response that breaks its schema fails the test.
 */
@Timeout(90)
class ApiSchemaTest
{
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    private static Path docs()
    {
        Path root = Path.of("").toAbsolutePath();
        while (!Files.exists(root.resolve("docs/api/status.schema.json")))
        {
            root = root.getParent();
        }
        return root.resolve("docs/api");
    }

    private JsonNode get(final URI uri) throws Exception
    {
        final HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).GET().build(),
            HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), uri + ": " + r.body());
        return JSON.readTree(r.body());
    }

    private static void validate(final String schema, final JsonNode value) throws Exception
    {
        final SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
        final Schema s = registry.getSchema(Files.readString(docs().resolve(schema + ".schema.json")));
        final List<Error> errors = s.validate(value);
        assertTrue(errors.isEmpty(), schema + ": " + errors + " in " + value);
    }

    @Test
    void liveResponsesMatchTheirSchemas() throws Exception
    {
        final String sv1 = """
            [sv1]
            enabled = true
            listen_addr = "127.0.0.1:0"
            start_difficulty = 0.0001
            min_difficulty = 0.0001
            """;
        try (PoolHarness h = new PoolHarness(dir, 0.001, sv1, "min_hashrate = 0.000001", null);
             ApiServer api = new ApiServer(new InetSocketAddress("127.0.0.1", 0), h.pool);
             MinerClient sv2 = h.miner("schema.sv2", 1, false);
             MinerClient sv1Miner = new MinerClient(new MinerConfig(h.pool.sv1Address(), null, "schema.sv1", 1, false,
                 1e6, "auto", 100, 1000, 5000, true)))
        {
            sv1Miner.start();
            api.start();
            final URI base = URI.create("http://127.0.0.1:" + api.address().getPort());
            assertTrue(PoolHarness.await(60_000, () -> sv1Miner.stats().sharesAccepted.sum() >= 1 &&
                sv2.stats().sharesAccepted.sum() >= 1 && h.pool.accounting().get("blocks_found") instanceof Number n &&
                n.longValue() >= 1), "shares from both miners and a block");
            assertTrue(PoolHarness.await(10_000, () -> h.pool.status() != null && h.pool.status().sharesAccepted() >= 2));
            validate("status", get(base.resolve("/api/status")));
            final JsonNode workers = get(base.resolve("/api/workers"));
            validate("workers", workers);
            final StringBuilder transports = new StringBuilder();
            workers.get("workers").forEach(w -> transports.append(w.get("transport").asText()).append(' '));
            assertTrue(transports.toString().contains("sv1") && transports.toString().contains("sv2"), workers.toString());
            validate("worker", get(base.resolve("/api/workers/schema.sv1")));
            validate("worker", get(base.resolve("/api/workers/schema.sv2")));
            validate("chains", get(base.resolve("/api/chains")));
            final JsonNode blocks = get(base.resolve("/api/blocks"));
            validate("blocks", blocks);
            assertTrue(blocks.get("blocks").size() >= 1, blocks.toString());
            validate("accounting", get(base.resolve("/api/accounting")));
        }
    }

    @Test
    void theSchemasRejectWhatBreaksTheContract() throws Exception
    {
        // the schemas are not vacuous: a renamed field and a wrong type are caught
        final JsonNode renamed = JSON.readTree("{\"workers\": [{\"worker\": \"x\"}], \"total\": 1, \"page\": 1, " +
            "\"per_page\": 100, \"sort\": \"name\", \"order\": \"asc\"}");
        final SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
        assertTrue(!registry.getSchema(Files.readString(docs().resolve("workers.schema.json"))).validate(renamed)
            .isEmpty());
        final JsonNode badBlock = JSON.readTree("{\"blocks\": [{\"chain\": \"bitcoin\", \"chain_index\": 0, \"hash\": " +
            "\"XYZ\", \"height\": 1, \"worker\": \"w\", \"status\": \"lost\", \"reason\": \"\", \"reward\": 0, " +
            "\"found_time\": 1, \"updated_time\": 1}]}");
        assertTrue(registry.getSchema(Files.readString(docs().resolve("blocks.schema.json"))).validate(badBlock)
            .size() >= 2);
    }
}
