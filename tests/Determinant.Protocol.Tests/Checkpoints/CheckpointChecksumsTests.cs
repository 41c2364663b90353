using System.Security.Cryptography;
using System.Text;
using Determinant.Protocol.Checkpoints;

namespace Determinant.Protocol.Tests.Checkpoints;

public sealed class CheckpointChecksumsTests : IDisposable
{
    private const string Uuid = "3f2a0000-0000-4000-8000-000000000001";
    private readonly DirectoryInfo _checkpoint = Directory.CreateTempSubdirectory("det-sums-");

    public CheckpointChecksumsTests()
    {
        File.WriteAllText(Path.Combine(_checkpoint.FullName, "model.dat"), "weights");
        Directory.CreateDirectory(Path.Combine(_checkpoint.FullName, "code", "empty"));
        File.WriteAllText(Path.Combine(_checkpoint.FullName, "code", "model_def.cs"), "// code");
    }

    public void Dispose() => _checkpoint.Delete(recursive: true);

    private string PathOf(string relative) => Path.Combine(_checkpoint.FullName, relative);

    [Fact]
    public void Write_RecordsEveryFileInSha256sumsFormat_InPathOrder()
    {
        CheckpointChecksums.Write(_checkpoint.FullName);

        Assert.Equal(
            $"{Sha256("// code")}  code/model_def.cs\n{Sha256("weights")}  model.dat\n",
            File.ReadAllText(PathOf(CheckpointChecksums.FileName)));
        Assert.Null(CheckpointChecksums.FindCorruption(_checkpoint.FullName, Uuid));
    }

    [Fact]
    public void FindCorruption_NamesTheFileAndBothSums_WhenAFileChanged()
    {
        CheckpointChecksums.Write(_checkpoint.FullName);
        File.WriteAllText(PathOf("model.dat"), "weightz");

        Assert.Equal($"checkpoint {Uuid} is corrupt: model.dat has SHA-256 {Sha256("weightz")} but {Sha256("weights")} was recorded",
            CheckpointChecksums.FindCorruption(_checkpoint.FullName, Uuid));
    }

    [Fact]
    public void FindCorruption_NamesTheFile_WhenItIsMissing()
    {
        CheckpointChecksums.Write(_checkpoint.FullName);
        File.Delete(PathOf("code/model_def.cs"));

        Assert.Equal($"checkpoint {Uuid} is corrupt: code/model_def.cs is missing (its SHA-256 {Sha256("// code")} was recorded)",
            CheckpointChecksums.FindCorruption(_checkpoint.FullName, Uuid));
    }

    [Fact]
    public void FindCorruption_LooksOnlyForTheListedFiles_WhenSomeWereRemovedOnPurpose()
    {
        CheckpointChecksums.Write(_checkpoint.FullName);
        File.Delete(PathOf("code/model_def.cs"));

        Assert.Null(CheckpointChecksums.FindCorruption(_checkpoint.FullName, Uuid, ["model.dat", CheckpointChecksums.FileName]));
        Assert.NotNull(CheckpointChecksums.FindCorruption(_checkpoint.FullName, Uuid, ["model.dat", "code/model_def.cs"]));
    }

    [Fact]
    public void FindCorruption_TakesTheCheckpointAsItIs_WhenNoSumsWereRecorded()
    {
        File.WriteAllText(PathOf("model.dat"), "anything");

        Assert.False(CheckpointChecksums.AreRecorded(_checkpoint.FullName));
        Assert.Null(CheckpointChecksums.FindCorruption(_checkpoint.FullName, Uuid));
    }

    [Fact]
    public void FindCorruption_SaysSo_WhenTheSumsFileIsDamaged()
    {
        File.WriteAllText(PathOf(CheckpointChecksums.FileName), "not a sum\n");

        Assert.Equal($"checkpoint {Uuid} is corrupt: its sha256sums.txt holds the line 'not a sum', which is not '<sha256>  <file>'",
            CheckpointChecksums.FindCorruption(_checkpoint.FullName, Uuid));
    }

    private static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
