package org.bitcoincommons.sv2.bitcoin;

/**
 * Address parameters per Bitcoin network: base58check version bytes and the segwit human-readable part.
 */
public enum Network
{
    MAINNET(0x00, 0x05, "bc"),
    TESTNET(0x6f, 0xc4, "tb"),
    SIGNET(0x6f, 0xc4, "tb"),
    REGTEST(0x6f, 0xc4, "bcrt");

    private final int p2pkhVersion;
    private final int p2shVersion;
    private final String segwitHrp;

    Network(final int p2pkhVersion, final int p2shVersion, final String segwitHrp)
    {
        this.p2pkhVersion = p2pkhVersion;
        this.p2shVersion = p2shVersion;
        this.segwitHrp = segwitHrp;
    }

    /**
     * The address parameters of a network as {@code [template] network} names it: "mainnet", "testnet" and "testnet4"
     * (which share testnet's), "signet", "regtest".
     */
    public static Network of(final String name)
    {
        return switch (name)
        {
            case "mainnet" -> MAINNET;
            case "testnet", "testnet4" -> TESTNET;
            case "signet" -> SIGNET;
            case "regtest" -> REGTEST;
            default -> throw new IllegalArgumentException("unknown network \"" + name + "\"");
        };
    }

    public int p2pkhVersion()
    {
        return p2pkhVersion;
    }

    public int p2shVersion()
    {
        return p2shVersion;
    }

    public String segwitHrp()
    {
        return segwitHrp;
    }
}
