using Microsoft.CodeAnalysis;

namespace Determinant.ModelDefinitions;

/// <summary>Finds the entrypoint's class among the declared types and checks that the harness can create it as a trial.</summary>
/// <remarks>
/// Runs on declarations only (no method bodies), so it is cheap before emitting. A check whose answer depends on a type
/// the compiler could not resolve is skipped: the compiler's own error says more.
/// </remarks>
internal sealed class TrialClassResolver(INamedTypeSymbol trialBase, INamedTypeSymbol? trialContext)
{
    public (string? TrialTypeName, IReadOnlyList<string> Errors) Resolve(Compilation compilation, TrialEntrypoint entrypoint, bool moduleIsFile)
    {
        var anchor = moduleIsFile ? entrypoint.ModuleFile : null;
        var global = compilation.Assembly.GlobalNamespace;
        var ns = moduleIsFile ? null : FindNamespace(global, entrypoint.Module);
        if (!moduleIsFile && ns is null)
            return (null, [Error(null, ModelDefinitionErrors.ModuleNotFound,
                $"module '{entrypoint.Module}' of entrypoint '{entrypoint}' is neither a file {entrypoint.ModuleFile} nor a namespace of the model definition")]);
        List<INamedTypeSymbol> candidates = entrypoint.IsQualifiedClassName
            ? compilation.Assembly.GetTypeByMetadataName(entrypoint.ClassName) is { } named ? [named] : []
            : ns is not null ? [.. ns.GetTypeMembers(entrypoint.ClassName)] : [.. AllTypes(global).Where(t => t.Name == entrypoint.ClassName)];

        if (candidates.Count == 0)
        {
            var defined = AllTypes(global).Where(t => t.TypeKind == TypeKind.Class).Select(t => t.Name).Distinct().Order(StringComparer.Ordinal).ToList();
            var list = defined.Count == 0 ? "the model definition defines no class" : $"the model definition defines: {string.Join(", ", defined)}";
            return (null, [Error(anchor, ModelDefinitionErrors.ClassNotFound, $"class '{entrypoint.ClassName}' not found; {list}")]);
        }
        if (candidates.Count > 1)
        {
            var names = candidates.Select(t => t.ToDisplayString()).Order(StringComparer.Ordinal);
            return (null, [Error(anchor, ModelDefinitionErrors.AmbiguousClass,
                $"class '{entrypoint.ClassName}' is ambiguous: {string.Join(", ", names)}; name its namespace as the module (Namespace:{entrypoint.ClassName})")]);
        }
        var type = candidates[0];
        var errors = Check(type);
        return (errors.Count == 0 ? ReflectionName(type) : null, errors);
    }

    private List<string> Check(INamedTypeSymbol type)
    {
        var location = type.Locations.FirstOrDefault(l => l.IsInSource) ?? Location.None;
        var name = type.ToDisplayString();
        var errors = new List<string>();
        if (!DerivesFromTrialBase(type, out var unresolved))
        {
            if (!unresolved)
                errors.Add(DiagnosticFormatter.Format(location, ModelDefinitionErrors.NotATrial, $"{Kind(type)} '{name}' does not derive from {trialBase.ToDisplayString()}"));
            return errors;
        }
        if (type.IsAbstract || type.IsGenericType)
            errors.Add(DiagnosticFormatter.Format(location, ModelDefinitionErrors.NotInstantiable,
                $"class '{name}' is {(type.IsAbstract ? "abstract" : "generic")}; the trial class must be one the harness can create"));
        for (var t = type; t is not null; t = t.ContainingType)
        {
            if (t.DeclaredAccessibility != Accessibility.Public)
            {
                errors.Add(DiagnosticFormatter.Format(location, ModelDefinitionErrors.NotPublic,
                    t.Equals(type, SymbolEqualityComparer.Default) ? $"class '{name}' is not public" : $"class '{name}' is nested in '{t.ToDisplayString()}', which is not public"));
                break;
            }
        }
        if (trialContext is not null && !type.InstanceConstructors.Any(TakesContextAlone))
            errors.Add(DiagnosticFormatter.Format(location, ModelDefinitionErrors.NoSuitableConstructor,
                $"class '{name}' has no public constructor taking a {trialContext.ToDisplayString()} as its only parameter"));
        return errors;
    }

    private bool TakesContextAlone(IMethodSymbol constructor) =>
        constructor is { DeclaredAccessibility: Accessibility.Public, Parameters: [var only] }
        && (only.Type.TypeKind == TypeKind.Error || only.Type.Equals(trialContext, SymbolEqualityComparer.Default));

    private bool DerivesFromTrialBase(INamedTypeSymbol type, out bool unresolved)
    {
        unresolved = false;
        for (var t = type.BaseType; t is not null; t = t.BaseType)
        {
            if (t.TypeKind == TypeKind.Error)
            {
                unresolved = true;
                return false;
            }
            if (t.OriginalDefinition.Equals(trialBase, SymbolEqualityComparer.Default))
                return true;
        }
        return false;
    }

    private static string Kind(INamedTypeSymbol type) => type.TypeKind switch
    {
        TypeKind.Struct => "struct",
        TypeKind.Interface => "interface",
        TypeKind.Enum => "enum",
        TypeKind.Delegate => "delegate",
        _ => "class",
    };

    private static string Error(string? file, string code, string message) => DiagnosticFormatter.FormatInFile(file, code, message);

    private static INamespaceSymbol? FindNamespace(INamespaceSymbol global, string dottedName)
    {
        INamespaceSymbol? current = global;
        foreach (var part in dottedName.Split('.'))
            current = current?.GetNamespaceMembers().FirstOrDefault(n => n.Name == part);
        return current;
    }

    private static IEnumerable<INamedTypeSymbol> AllTypes(INamespaceOrTypeSymbol container)
    {
        foreach (var member in container.GetMembers())
        {
            if (member is INamespaceOrTypeSymbol nested)
            {
                if (member is INamedTypeSymbol type && !type.IsImplicitlyDeclared)
                    yield return type;
                foreach (var inner in AllTypes(nested))
                    yield return inner;
            }
        }
    }

    // Reflection's name: Namespace.Outer+Inner`1, which Assembly.GetType understands.
    private static string ReflectionName(INamedTypeSymbol type) =>
        type.ContainingType is { } outer
            ? $"{ReflectionName(outer)}+{type.MetadataName}"
            : type.ContainingNamespace.IsGlobalNamespace ? type.MetadataName : $"{type.ContainingNamespace.ToDisplayString()}.{type.MetadataName}";
}
