package org.bitcoincommons.sv2.crypto;

import java.util.ArrayList;
import java.util.List;

import org.bitcoincommons.sv2.Vectors;

/** Rows of a vectors CSV (test resources) file without its header line, split on commas (empty cells kept). */
final class CsvRows
{
    private CsvRows()
    {
    }

    static List<String[]> read(final String name)
    {
        final List<String[]> rows = new ArrayList<>();
        final String[] lines = Vectors.read(name).split("\r?\n");
        for (int i = 1; i < lines.length; i++)
        {
            if (!lines[i].isBlank())
            {
                rows.add(lines[i].split(",", -1));
            }
        }
        return rows;
    }
}
