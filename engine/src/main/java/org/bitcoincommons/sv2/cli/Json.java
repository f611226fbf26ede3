package org.bitcoincommons.sv2.cli;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The one JSON mapper the command line prints with.
 */
final class Json
{
    static final ObjectMapper MAPPER = new ObjectMapper();

    private Json()
    {
    }
}
