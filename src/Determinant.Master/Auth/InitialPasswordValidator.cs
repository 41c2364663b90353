using Determinant.Master.Configuration;
using Microsoft.Extensions.Options;

namespace Determinant.Master.Auth;

/// <summary>The built-in users' initial password obeys <see cref="PasswordPolicy"/> like every other; checked at start.</summary>
internal sealed class InitialPasswordValidator : IValidateOptions<MasterOptions>
{
    public ValidateOptionsResult Validate(string? name, MasterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        // An empty one is MasterOptionsValidator's to refuse.
        return options.InitialPassword is { Length: > 0 } password && PasswordPolicy.Problem(password) is { } problem
            ? ValidateOptionsResult.Fail($"initial_password: {problem}; leave it unset to have one generated")
            : ValidateOptionsResult.Success;
    }
}
