package org.bitcoincommons.sv2.template;

import java.io.IOException;
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
 * JSON-RPC 1.0 over HTTP POST to one Bitcoin Core node, on one {@link HttpClient} of its own: the bitcoind source
 * keeps three (template calls, the long poll, submitblock) so that no call ever queues behind another's connection.
 * Basic auth from user and password, or from bitcoind's cookie file ({@code __cookie__:hex}), read again after any
 * 401 (the node writes a new cookie at every start). Thread-safe. (merge has its own client for aux chains; this one
 * sits below it, in template, and adds per-call timeouts and bitcoind's error mapping.)
 */
public final class BitcoindRpc
{
    /** Why a call failed. */
    public enum Failure
    {
        /** Refused, reset, timed out: the node is unreachable or too slow. */
        TRANSPORT,
        /** HTTP 401/403 or an unreadable cookie file. */
        AUTH,
        /** The node's own JSON-RPC error object ({@link CallException#code()}). */
        RPC_ERROR,
        /** The answer was not JSON-RPC (not JSON, no result, unexpected HTTP status). */
        MALFORMED
    }

    /** A failed call, by cause. */
    public static final class CallException extends Exception
    {
        private final Failure failure;
        private final long code;

        CallException(final Failure failure, final long code, final String message, final Throwable cause)
        {
            super(message, cause);
            this.failure = failure;
            this.code = code;
        }

        public Failure failure()
        {
            return failure;
        }

        /** The JSON-RPC error code for {@link Failure#RPC_ERROR}, the HTTP status for AUTH/MALFORMED, else 0. */
        public long code()
        {
            return code;
        }
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final URI url;
    private final String user;
    private final String password;
    private final Path cookieFile;
    private final HttpClient http;
    private final AtomicLong ids = new AtomicLong();
    private volatile String authorization;

    /**
     * @param cookieFile when not null, credentials come from it and user/password are ignored
     * @param connectTimeout TCP connect timeout of this client
     */
    public BitcoindRpc(final URI url, final String user, final String password, final Path cookieFile,
        final Duration connectTimeout)
    {
        this.url = url;
        this.user = user == null ? "" : user;
        this.password = password == null ? "" : password;
        this.cookieFile = cookieFile;
        this.http = HttpClient.newBuilder().connectTimeout(connectTimeout).version(HttpClient.Version.HTTP_1_1).build();
    }

    URI url()
    {
        return url;
    }

    /** Calls {@code method} with positional params and returns {@code result} (possibly a JSON null). */
    public JsonNode call(final String method, final Duration timeout, final Object... params) throws CallException
    {
        final ObjectNode request = MAPPER.createObjectNode();
        request.put("jsonrpc", "1.0");
        request.put("id", ids.incrementAndGet());
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
        builder.header("Authorization", authorization());
        final HttpResponse<String> response;
        try
        {
            response = http.send(builder.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        }
        catch (final HttpTimeoutException ex)
        {
            throw new CallException(Failure.TRANSPORT, 0, method + ": no answer within " + timeout.toMillis() + " ms", ex);
        }
        catch (final IOException ex)
        {
            throw new CallException(Failure.TRANSPORT, 0, method + ": " + (ex.getMessage() == null ? ex.toString() :
                ex.getClass().getSimpleName() + " " + ex.getMessage()), ex);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new CallException(Failure.TRANSPORT, 0, method + ": interrupted", ex);
        }
        final int status = response.statusCode();
        if (status == 401 || status == 403)
        {
            authorization = null;
            throw new CallException(Failure.AUTH, status, method + ": HTTP " + status +
                " (check rpc_user/rpc_password or rpc_cookie_file)", null);
        }
        return result(method, status, response.body());
    }

    /**
     * The {@code result} of one JSON-RPC response body with its HTTP status, as bitcoind sent them; separate from
     * {@link #call} so that it can be fuzzed without a socket.
     *
     * @throws CallException MALFORMED for a body that is not a JSON-RPC object or has no result, RPC_ERROR for an
     *     error object
     */
    static JsonNode result(final String method, final int status, final String responseBody) throws CallException
    {
        final JsonNode body;
        try
        {
            body = MAPPER.readTree(responseBody);
        }
        catch (final IOException ex)
        {
            throw new CallException(Failure.MALFORMED, status, method + ": HTTP " + status + " with a body that is not JSON",
                ex);
        }
        if (body == null || !body.isObject())
        {
            throw new CallException(Failure.MALFORMED, status, method + ": HTTP " + status + " without a JSON-RPC object",
                null);
        }
        final JsonNode error = body.get("error");
        if (error != null && !error.isNull())
        {
            final long code = error.path("code").asLong(0);
            throw new CallException(Failure.RPC_ERROR, code, method + ": " + error.path("message").asText(error.toString())
                + " (code " + code + ")", null);
        }
        if (status != 200 || !body.has("result"))
        {
            throw new CallException(Failure.MALFORMED, status, method + ": HTTP " + status + " without a result", null);
        }
        return body.get("result");
    }

    private String authorization() throws CallException
    {
        final String cached = authorization;
        if (cached != null)
        {
            return cached;
        }
        final String credentials;
        if (cookieFile != null)
        {
            try
            {
                credentials = Files.readString(cookieFile, StandardCharsets.UTF_8).strip();
            }
            catch (final IOException ex)
            {
                throw new CallException(Failure.AUTH, 0, "cannot read rpc_cookie_file " + cookieFile + ": " + ex, ex);
            }
        }
        else
        {
            credentials = user + ":" + password;
        }
        final String auth = "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
        authorization = auth;
        return auth;
    }
}
