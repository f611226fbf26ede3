package org.bitcoincommons.sv2.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

class ClusterConfigTest
{
    private static final Path BASE = Path.of("/srv/pool");

    private static String error(final String toml)
    {
        return assertThrows(ConfigException.class, () -> EngineConfig.parse(toml, BASE)).getMessage();
    }

    @Test
    void theSingleProcessIsTheDefault()
    {
        final ClusterConfig c = EngineConfig.defaults(BASE).cluster();
        assertEquals("single", c.role());
        assertTrue(c.members().isEmpty());
        assertEquals(BASE.resolve("data/cluster"), c.clusterDir());
        assertEquals(10_000, c.leaderHeartbeatTimeoutMs());
        assertEquals("local", c.templates());
        assertTrue(!c.clusterTemplates());
    }

    @Test
    void clusterTemplatesNeedARoleAndTheRightSources()
    {
        final String frontend = "[cluster]\nrole = \"frontend\"\nmembers = [\"h:1000\"]\nfrontend_id = 1\n";
        final String node = "[cluster]\nrole = \"node\"\nmembers = [\"h:1000\"]\n";
        final String bitcoind = "[template]\nsources = [\"bitcoind\"]\n[template.bitcoind]\nrpc_url = \"http://127.0.0.1:8332\"\nrpc_user = \"u\"\nrpc_password = \"p\"\n";
        assertTrue(EngineConfig.parse(frontend + "templates = \"cluster\"\n" + bitcoind, BASE).cluster().clusterTemplates());
        final ClusterConfig feeding = EngineConfig.parse(node + "templates = \"cluster\"\n" + bitcoind, BASE).cluster();
        assertTrue(feeding.clusterTemplates());
        assertEquals(64 << 20, feeding.logTermLength(), "a 4 MB template fits one message (1/8 of a term)");
        assertEquals(8 << 20, EngineConfig.parse(node, BASE).cluster().logTermLength());
        assertTrue(error("[cluster]\ntemplates = \"shared\"").startsWith("cluster.templates: must be \"local\" or"));
        assertTrue(error("[cluster]\ntemplates = \"cluster\"").startsWith("cluster.templates: \"cluster\" needs role"));
        // a frontend submits found blocks to its bitcoind: nothing else, and the embedded chain cannot be shared
        assertTrue(error(frontend + "templates = \"cluster\"\n").startsWith("template.sources: a frontend with"));
        assertTrue(error(node + "templates = \"cluster\"\n").startsWith("template.sources: the embedded chain"));
    }

    @Test
    void clusterAuxWorkNeedsARoleAndIsIndependentOfTemplates()
    {
        final String frontend = "[cluster]\nrole = \"frontend\"\nmembers = [\"h:1000\"]\nfrontend_id = 1\n";
        final String node = "[cluster]\nrole = \"node\"\nmembers = [\"h:1000\"]\n";
        assertTrue(!EngineConfig.defaults(BASE).cluster().clusterAux());
        assertEquals("local", EngineConfig.defaults(BASE).cluster().aux());
        final ClusterConfig f = EngineConfig.parse(frontend + "aux = \"cluster\"\n", BASE).cluster();
        assertTrue(f.clusterAux());
        assertTrue(!f.clusterTemplates(), "aux work from the cluster, templates from the frontend's own sources");
        assertTrue(EngineConfig.parse(node + "aux = \"cluster\"\n", BASE).cluster().clusterAux());
        assertTrue(error("[cluster]\naux = \"shared\"").startsWith("cluster.aux: must be \"local\" or"));
        assertTrue(error("[cluster]\naux = \"cluster\"").startsWith("cluster.aux: \"cluster\" needs role"));
    }

    @Test
    void aNodeDerivesAeronsMembersAndEndpointsFromItsPortBlocks()
    {
        final ClusterConfig c = EngineConfig.parse("""
            [cluster]
            role = "node"
            members = ["10.0.0.1:9000", "10.0.0.2:9000", "[::1]:9100"]
            member_id = 2
            cluster_dir = "nodes/2"
            """, BASE).cluster();
        assertTrue(c.node());
        assertEquals("0,10.0.0.1:9002,10.0.0.1:9003,10.0.0.1:9004,10.0.0.1:9005,10.0.0.1:9001|" +
            "1,10.0.0.2:9002,10.0.0.2:9003,10.0.0.2:9004,10.0.0.2:9005,10.0.0.2:9001|" +
            "2,[::1]:9102,[::1]:9103,[::1]:9104,[::1]:9105,[::1]:9101", c.aeronMembers());
        assertEquals("0=10.0.0.1:9002,1=10.0.0.2:9002,2=[::1]:9102", c.ingressEndpoints());
        assertEquals(BASE.resolve("nodes/2"), c.clusterDir());
    }

    @Test
    void everyErrorNamesItsKey()
    {
        assertTrue(error("[cluster]\nrole = \"leader\"").startsWith("cluster.role: must be"));
        assertTrue(error("[cluster]\nrole = \"frontend\"\nfrontend_id = 1").startsWith("cluster.members: is required"));
        assertTrue(error("[cluster]\nrole = \"frontend\"\nmembers = [\"h:1000\"]").startsWith("cluster.frontend_id: is required"));
        assertTrue(error("[cluster]\nrole = \"node\"\nmembers = [\"h:1000\"]\nmember_id = 1")
            .startsWith("cluster.member_id: must name one of the 1 members"));
        assertTrue(error("[cluster]\nmembers = [\"h:0\"]").startsWith("cluster.members[0]: the port base must be"));
        assertTrue(error("[cluster]\nmembers = [\"nohost\"]").startsWith("cluster.members[0]: must be host:port"));
        assertTrue(error("[cluster]\nlog_term_length = 100000").startsWith("cluster.log_term_length: must be a power of two"));
        assertTrue(error("[cluster]\nleader_heartbeat_interval_ms = 20000")
            .startsWith("cluster.leader_heartbeat_interval_ms: must be below"));
        assertTrue(error("[cluster]\nleader_heartbeat_timeout_ms = 40000")
            .startsWith("cluster.startup_canvass_timeout_ms: must be at least twice leader_heartbeat_timeout_ms"));
        assertTrue(error("[cluster]\nack_timeout = 5").contains("unknown key cluster.ack_timeout"));
    }
}
