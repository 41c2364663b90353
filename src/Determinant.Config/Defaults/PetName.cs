namespace Determinant.Config.Defaults;

/// <summary>Generates the default experiment name, <c>Experiment (adverb-adjective-noun)</c>, from injected randomness.</summary>
internal static class PetName
{
    private static readonly string[] Adverbs =
    [
        "boldly", "briskly", "calmly", "cheerfully", "cleverly", "closely", "deeply", "eagerly", "evenly", "fairly",
        "firmly", "freely", "gently", "gladly", "happily", "honestly", "keenly", "kindly", "lightly", "loudly",
        "merrily", "neatly", "nicely", "openly", "patiently", "politely", "quickly", "quietly", "rapidly", "really",
        "safely", "sharply", "simply", "smoothly", "softly", "steadily", "swiftly", "truly", "warmly", "wisely",
    ];

    private static readonly string[] Adjectives =
    [
        "amber", "ample", "azure", "brave", "bright", "brisk", "calm", "clear", "cosmic", "crisp",
        "dapper", "eager", "early", "fluent", "fresh", "gentle", "golden", "grand", "hardy", "humble",
        "jolly", "lively", "lucid", "mellow", "mighty", "nimble", "noble", "polar", "proud", "quiet",
        "rapid", "robust", "serene", "sharp", "silver", "steady", "sunny", "tidy", "vivid", "witty",
    ];

    private static readonly string[] Nouns =
    [
        "badger", "beacon", "birch", "canyon", "cedar", "comet", "coral", "crane", "delta", "dune",
        "ember", "falcon", "fern", "fjord", "glacier", "harbor", "heron", "island", "lagoon", "lark",
        "maple", "meadow", "meteor", "otter", "owl", "pebble", "pine", "prairie", "quartz", "raven",
        "reef", "ridge", "river", "sparrow", "summit", "thicket", "tundra", "valley", "walrus", "willow",
    ];

    public static string Generate(Random random) =>
        $"Experiment ({Pick(random, Adverbs)}-{Pick(random, Adjectives)}-{Pick(random, Nouns)})";

    private static string Pick(Random random, string[] words) => words[random.Next(words.Length)];
}
