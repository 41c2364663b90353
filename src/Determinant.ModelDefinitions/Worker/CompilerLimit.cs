namespace Determinant.ModelDefinitions;

/// <summary>A limit of <see cref="IsolatedModelDefinitionCompiler"/> that a model definition can run past.</summary>
public enum CompilerLimit
{
    /// <summary><see cref="IsolatedCompilerOptions.StackMib"/>: the program nests too deeply for the compiler's stack.</summary>
    Stack,

    /// <summary><see cref="IsolatedCompilerOptions.TimeLimit"/>: the compilation took longer.</summary>
    Time,

    /// <summary><see cref="IsolatedCompilerOptions.MemoryMib"/>: the compiler needed more memory.</summary>
    Memory,
}
