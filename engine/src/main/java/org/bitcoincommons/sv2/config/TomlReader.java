package org.bitcoincommons.sv2.config;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.tomlj.TomlArray;
import org.tomlj.TomlTable;

/**
 * Typed reads from one TOML table that name the full key in every error, and remember which keys were
 * read so that unknown (misspelt) keys can be reported. Cold path: used once at start-up.
 */
final class TomlReader
{
    private final TomlTable table;
    private final String prefix;
    private final Set<String> consumed = new HashSet<>();
    private final List<TomlReader> children = new ArrayList<>();

    TomlReader(final TomlTable table, final String prefix)
    {
        this.table = table;
        this.prefix = prefix;
    }

    String key(final String name)
    {
        return prefix.isEmpty() ? name : prefix + "." + name;
    }

    /** True when the table itself appears in the file. */
    boolean present()
    {
        return table != null;
    }

    boolean has(final String name)
    {
        return table != null && table.contains(List.of(name));
    }

    private Object raw(final String name)
    {
        consumed.add(name);
        return table == null ? null : table.get(List.of(name));
    }

    /** A sub-table; absent tables read as empty (every key takes its default). */
    TomlReader table(final String name)
    {
        final Object v = raw(name);
        if (v != null && !(v instanceof TomlTable))
        {
            throw new ConfigException(key(name) + ": must be a table");
        }
        final TomlReader child = new TomlReader((TomlTable)v, key(name));
        children.add(child);
        return child;
    }

    /** An array of tables ({@code [[name]]}); absent reads as empty. */
    List<TomlReader> tables(final String name)
    {
        final Object v = raw(name);
        if (v == null)
        {
            return List.of();
        }
        if (!(v instanceof TomlArray array))
        {
            throw new ConfigException(key(name) + ": must be an array of tables ([[" + key(name) + "]])");
        }
        final List<TomlReader> out = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++)
        {
            // tomlj arrays are heterogeneous (TomlArray.containsTables() throws since 0.5): check each element
            if (!(array.get(i) instanceof TomlTable))
            {
                throw new ConfigException(key(name) + "[" + i + "]: must be a table ([[" + key(name) + "]])");
            }
            final TomlReader child = new TomlReader(array.getTable(i), key(name) + "[" + i + "]");
            children.add(child);
            out.add(child);
        }
        return out;
    }

    String string(final String name, final String dflt)
    {
        final Object v = raw(name);
        if (v == null)
        {
            return dflt;
        }
        if (!(v instanceof String s))
        {
            throw new ConfigException(key(name) + ": must be a string (got " + describe(v) + ")");
        }
        return s;
    }

    String requiredString(final String name)
    {
        final String s = string(name, null);
        if (s == null || s.isBlank())
        {
            throw new ConfigException(key(name) + ": is required");
        }
        return s;
    }

    boolean bool(final String name, final boolean dflt)
    {
        final Object v = raw(name);
        if (v == null)
        {
            return dflt;
        }
        if (!(v instanceof Boolean b))
        {
            throw new ConfigException(key(name) + ": must be true or false (got " + describe(v) + ")");
        }
        return b;
    }

    long integer(final String name, final long dflt, final long min, final long max)
    {
        final Object v = raw(name);
        if (v == null)
        {
            return dflt;
        }
        if (!(v instanceof Long l))
        {
            throw new ConfigException(key(name) + ": must be an integer (got " + describe(v) + ")");
        }
        if (l < min || l > max)
        {
            throw new ConfigException(key(name) + ": must be between " + min + " and " + max + " (got " + l + ")");
        }
        return l;
    }

    double number(final String name, final double dflt, final double minExclusive, final double max)
    {
        final Object v = raw(name);
        if (v == null)
        {
            return dflt;
        }
        final double d;
        if (v instanceof Double x)
        {
            d = x;
        }
        else if (v instanceof Long l)
        {
            d = l;
        }
        else
        {
            throw new ConfigException(key(name) + ": must be a number (got " + describe(v) + ")");
        }
        if (!(d > minExclusive) || d > max || Double.isNaN(d))
        {
            throw new ConfigException(key(name) + ": must be > " + minExclusive + " and <= " + max + " (got " + d + ")");
        }
        return d;
    }

    List<String> strings(final String name)
    {
        final Object v = raw(name);
        if (v == null)
        {
            return List.of();
        }
        if (!(v instanceof TomlArray array))
        {
            throw new ConfigException(key(name) + ": must be an array of strings");
        }
        final List<String> out = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++)
        {
            if (!(array.get(i) instanceof String s))
            {
                throw new ConfigException(key(name) + "[" + i + "]: must be a string");
            }
            out.add(s);
        }
        return Collections.unmodifiableList(out);
    }

    /** {@code host:port}, {@code [v6]:port}; port 0 asks the OS for a free port. */
    InetSocketAddress address(final String name, final String dflt)
    {
        final String s = string(name, dflt);
        return s == null ? null : parseAddress(key(name), s);
    }

    static InetSocketAddress parseAddress(final String key, final String s)
    {
        final int colon = s.lastIndexOf(':');
        if (colon <= 0 || colon == s.length() - 1)
        {
            throw new ConfigException(key + ": must be host:port (got \"" + s + "\")");
        }
        String host = s.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]"))
        {
            host = host.substring(1, host.length() - 1);
        }
        final int port;
        try
        {
            port = Integer.parseInt(s.substring(colon + 1));
        }
        catch (final NumberFormatException ex)
        {
            throw new ConfigException(key + ": port must be a number (got \"" + s + "\")");
        }
        if (port < 0 || port > 65535)
        {
            throw new ConfigException(key + ": port must be 0..65535 (got " + port + ")");
        }
        return new InetSocketAddress(host, port);
    }

    /** Every key present in the file that no reader asked for, with its full name. */
    void collectUnknown(final Set<String> out)
    {
        if (table != null)
        {
            for (final String k : table.keySet())
            {
                if (!consumed.contains(k))
                {
                    out.add(key(k));
                }
            }
        }
        for (final TomlReader child : children)
        {
            child.collectUnknown(out);
        }
    }

    void rejectUnknown()
    {
        final Set<String> unknown = new TreeSet<>();
        collectUnknown(unknown);
        if (!unknown.isEmpty())
        {
            throw new ConfigException("unknown key" + (unknown.size() > 1 ? "s " : " ") + String.join(", ", unknown)
                + " (misspelt? see README \"Configuration\")");
        }
    }

    private static String describe(final Object v)
    {
        if (v instanceof String s)
        {
            return "\"" + s + "\"";
        }
        if (v instanceof TomlTable)
        {
            return "a table";
        }
        if (v instanceof TomlArray)
        {
            return "an array";
        }
        return String.valueOf(v);
    }
}
