package org.bitcoincommons.sv2.merge;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A JSON-RPC client over HTTP POST ({@link java.net.http.HttpClient}): 1.0 framing for Bitcoin-family nodes
 * (Namecoin, Dogecoin, Syscoin), 2.0 for RSK. Basic auth from a user and password, or from a cookie file
 * ({@code user:password}) read again at every (re)connect, i.e. before the first call and after any transport or
 * auth failure. Every call has a timeout. Thread-safe; cold path (aux work polls and submissions).
 */
public final class JsonRpcClient
{
    /** JSON-RPC framing. */
    public enum Version
    {
        V1, V2
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final URI url;
    private final Version version;
    private final Duration timeout;
    private final String user;
    private final String password;
    private final Path cookieFile;
    private final HttpClient http;
    private final AtomicLong ids = new AtomicLong();
    private volatile String authorization;

    /**
     * @param cookieFile when not null, credentials are read from it and user/password are ignored
     */
    public JsonRpcClient(final URI url, final Version version, final Duration timeout, final String user,
        final String password, final Path cookieFile)
    {
        this.url = url;
        this.version = version;
        this.timeout = timeout;
        this.user = user == null ? "" : user;
        this.password = password == null ? "" : password;
        this.cookieFile = cookieFile;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).version(HttpClient.Version.HTTP_1_1).build();
    }

    public URI url()
    {
        return url;
    }

    /**
     * Calls {@code method} with positional params (Strings, numbers, booleans or JsonNodes) and returns the
     * {@code result} member (possibly a JSON null).
     */
    public JsonNode call(final String method, final Object... params) throws RpcException
    {
        final ObjectNode request = MAPPER.createObjectNode();
        if (version == Version.V2)
        {
            request.put("jsonrpc", "2.0");
        }
        final long id = ids.incrementAndGet();
        request.put("id", id);
        request.put("method", method);
        final ArrayNode array = request.putArray("params");
        for (final Object p : params)
        {
            array.add(MAPPER.valueToTree(p));
        }
        final HttpRequest.Builder builder = HttpRequest.newBuilder(url)
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(request.toString(), StandardCharsets.UTF_8));
        final String auth = authorization();
        if (auth != null)
        {
            builder.header("Authorization", auth);
        }
        final HttpResponse<String> response;
        try
        {
            response = http.send(builder.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        }
        catch (final HttpTimeoutException ex)
        {
            authorization = null;
            throw new RpcException(RpcException.Kind.TRANSPORT, 0, method + ": no answer within " + timeout.toMillis()
                + " ms from " + url, ex);
        }
        catch (final ConnectException ex)
        {
            authorization = null;
            throw new RpcException(RpcException.Kind.TRANSPORT, 0, method + ": cannot connect to " + url, ex);
        }
        catch (final IOException ex)
        {
            authorization = null;
            throw new RpcException(RpcException.Kind.TRANSPORT, 0, method + ": " + ex, ex);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new RpcException(RpcException.Kind.TRANSPORT, 0, method + ": interrupted", ex);
        }
        final int status = response.statusCode();
        if (status == 401 || status == 403)
        {
            authorization = null;
            throw new RpcException(RpcException.Kind.AUTH, status, method + ": HTTP " + status + " from " + url
                + " (check rpc_user/rpc_password or rpc_cookie_file)", null);
        }
        return result(method, status, response.body());
    }

    /**
     * The {@code result} of one JSON-RPC response body with its HTTP status, as the node sent them; separate from
     * {@link #call} so that it can be fuzzed without a socket.
     *
     * @throws RpcException PROTOCOL for a body that is not a JSON-RPC object or has no result, RPC_ERROR for an error
     */
    static JsonNode result(final String method, final int status, final String responseBody) throws RpcException
    {
        final JsonNode body;
        try
        {
            body = MAPPER.readTree(responseBody);
        }
        catch (final IOException ex)
        {
            throw new RpcException(RpcException.Kind.PROTOCOL, status, method + ": HTTP " + status
                + " with a body that is not JSON", ex);
        }
        if (body == null || !body.isObject())
        {
            throw new RpcException(RpcException.Kind.PROTOCOL, status, method + ": HTTP " + status
                + " without a JSON-RPC object", null);
        }
        final JsonNode error = body.get("error");
        if (error != null && !error.isNull())
        {
            final long code = error.path("code").asLong(0);
            final String message = error.path("message").asText(error.toString());
            throw new RpcException(RpcException.Kind.RPC_ERROR, code, method + ": " + message + " (code " + code + ")",
                null);
        }
        if (status != 200 || !body.has("result"))
        {
            throw new RpcException(RpcException.Kind.PROTOCOL, status, method + ": HTTP " + status
                + " without result", null);
        }
        return body.get("result");
    }

    private String authorization() throws RpcException
    {
        String auth = authorization;
        if (auth != null)
        {
            return auth;
        }
        String credentials = null;
        if (cookieFile != null)
        {
            try
            {
                credentials = Files.readString(cookieFile, StandardCharsets.UTF_8).strip();
            }
            catch (final IOException ex)
            {
                throw new RpcException(RpcException.Kind.AUTH, 0, "cannot read rpc cookie file " + cookieFile + ": "
                    + ex.getMessage(), ex);
            }
        }
        else if (!user.isEmpty() || !password.isEmpty())
        {
            credentials = user + ":" + password;
        }
        if (credentials == null)
        {
            return null;
        }
        auth = "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
        authorization = auth;
        return auth;
    }
}
