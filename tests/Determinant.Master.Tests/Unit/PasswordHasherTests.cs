using Determinant.Master.Auth;

namespace Determinant.Master.Tests.Unit;

public sealed class PasswordHasherTests
{
    [Fact]
    public void Hash_IsVersionedSaltedAndVerifies()
    {
        var first = PasswordHasher.Hash("secret");
        var second = PasswordHasher.Hash("secret");
        Assert.StartsWith("pbkdf2-sha256$v1$100000$", first, StringComparison.Ordinal);
        Assert.NotEqual(first, second);
        Assert.True(PasswordHasher.Verify("secret", first));
        Assert.False(PasswordHasher.Verify("Secret", first));
        Assert.False(PasswordHasher.Verify("secret", "plain$text"));
    }

    [Fact]
    public void Hash_RejectsEmptyPasswords() => Assert.Throws<ArgumentException>(() => PasswordHasher.Hash(""));
}
