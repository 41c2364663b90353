using System.Text.Json;
using System.Text.Json.Nodes;

namespace Determinant.Cli.Session;

/// <summary>
/// <c>auth.json</c> in the user config directory: one token per master and user, and the active user per master.
/// Readable by its owner only (0600), in a directory only its owner can enter (0700).
/// </summary>
internal sealed class TokenStore(string directory)
{
    public string FilePath { get; } = Path.Combine(directory, "auth.json");

    public string? ActiveUser(string master) => (string?)Load()["masters"]?[master]?["activeUser"];

    public string? Token(string master, string user) => (string?)Load()["masters"]?[master]?["tokens"]?[user];

    public IReadOnlyList<string> Users(string master) =>
        Load()["masters"]?[master]?["tokens"] is JsonObject tokens ? tokens.Select(t => t.Key).ToList() : [];

    public void Save(string master, string user, string token, bool makeActive)
    {
        var root = Load();
        var entry = Master(root, master);
        ((JsonObject)entry["tokens"]!)[user] = token;
        if (makeActive)
            entry["activeUser"] = user;
        Write(root);
    }

    /// <summary>Drops a user's token; the active user too when it was that user.</summary>
    public void Remove(string master, string user)
    {
        var root = Load();
        var entry = Master(root, master);
        ((JsonObject)entry["tokens"]!).Remove(user);
        if ((string?)entry["activeUser"] == user)
            entry.Remove("activeUser");
        Write(root);
    }

    private static JsonObject Master(JsonObject root, string master)
    {
        var masters = root["masters"] as JsonObject ?? (JsonObject)(root["masters"] = new JsonObject());
        var entry = masters[master] as JsonObject ?? (JsonObject)(masters[master] = new JsonObject());
        if (entry["tokens"] is not JsonObject)
            entry["tokens"] = new JsonObject();
        return entry;
    }

    private JsonObject Load()
    {
        if (!File.Exists(FilePath))
            return [];
        try
        {
            return JsonNode.Parse(File.ReadAllText(FilePath)) as JsonObject ?? [];
        }
        catch (JsonException e)
        {
            throw new CliException(ExitCodes.Failure, $"the token store {FilePath} is not valid JSON ({e.Message}); delete it and log in again");
        }
    }

    private void Write(JsonObject root)
    {
        var directory = Path.GetDirectoryName(FilePath)!;
        if (OperatingSystem.IsWindows())
            Directory.CreateDirectory(directory);
        else
            Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var temporary = FilePath + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var stream = new FileStream(temporary, options))
        using (var writer = new StreamWriter(stream))
            writer.Write(root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.Move(temporary, FilePath, overwrite: true);
    }
}
