package org.bitcoincommons.sv2.api;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.concurrent.atomic.LongAdder;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;

/**
 * Who may call the API. Every POST (an admin action: reconnect, extranonce prefix, latency reset, and any later one)
 * needs {@code Authorization: Bearer <[api] admin_token>}: without the header or with another token the answer is 401;
 * when no token is configured, admin actions are refused (403), so an API left on a reachable address can never move
 * miners. With {@code read_requires_token} the same holds for reading. Tokens are compared in constant time.
 */
final class ApiAccess extends Filter
{
    private final byte[] token;
    private final boolean readRequiresToken;
    final LongAdder refused = new LongAdder();

    ApiAccess(final String adminToken, final boolean readRequiresToken)
    {
        this.token = adminToken == null || adminToken.isEmpty() ? null : adminToken.getBytes(StandardCharsets.UTF_8);
        this.readRequiresToken = readRequiresToken;
    }

    @Override
    public void doFilter(final HttpExchange ex, final Chain chain) throws IOException
    {
        final boolean admin = !"GET".equals(ex.getRequestMethod()) && !"HEAD".equals(ex.getRequestMethod());
        if (!admin && !readRequiresToken)
        {
            chain.doFilter(ex);
            return;
        }
        if (token == null)
        {
            refuse(ex, 403, "admin endpoints are off: set [api] admin_token (or admin_token_file) to use them\n");
            return;
        }
        final String auth = ex.getRequestHeaders().getFirst("Authorization");
        final byte[] given = auth != null && auth.startsWith("Bearer ")
            ? auth.substring("Bearer ".length()).strip().getBytes(StandardCharsets.UTF_8) : null;
        if (given == null || !MessageDigest.isEqual(given, token))
        {
            ex.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"sv2\"");
            refuse(ex, 401, given == null ? "an Authorization: Bearer token is required\n" : "wrong token\n");
            return;
        }
        chain.doFilter(ex);
    }

    private void refuse(final HttpExchange ex, final int code, final String why) throws IOException
    {
        refused.increment();
        final byte[] body = why.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "text/plain");
        ex.sendResponseHeaders(code, body.length);
        try (OutputStream out = ex.getResponseBody())
        {
            out.write(body);
        }
        ex.close();
    }

    @Override
    public String description()
    {
        return "bearer token for admin actions";
    }
}
