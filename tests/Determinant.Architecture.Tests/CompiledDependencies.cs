using System.Reflection;
using System.Reflection.Emit;

namespace Determinant.Architecture.Tests;

/// <summary>
/// The types a compiled type uses: its base and interfaces, its fields' and members' signatures, its locals, and every
/// type, method and field its IL names (so a lambda or a call inside a method body counts as well).
/// </summary>
internal static class CompiledDependencies
{
    private const BindingFlags Declared =
        BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!).ToDictionary(o => o.Value);

    public static IEnumerable<Type> Of(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        var found = new List<Type>();
        Add(found, type.BaseType);
        foreach (var face in type.GetInterfaces())
            Add(found, face);
        foreach (var field in type.GetFields(Declared))
            Add(found, field.FieldType);
        foreach (var method in type.GetMethods(Declared).Cast<MethodBase>().Concat(type.GetConstructors(Declared)))
        {
            if (method is MethodInfo info)
                Add(found, info.ReturnType);
            foreach (var parameter in method.GetParameters())
                Add(found, parameter.ParameterType);
            var body = method.GetMethodBody();
            if (body is null)
                continue;
            foreach (var local in body.LocalVariables)
                Add(found, local.LocalType);
            foreach (var member in Members(type, method, body.GetILAsByteArray() ?? []))
                AddMember(found, member);
        }
        return found;
    }

    private static IEnumerable<MemberInfo> Members(Type type, MethodBase method, byte[] il)
    {
        var typeArguments = type.IsGenericType ? type.GetGenericArguments() : null;
        var methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
        var position = 0;
        while (position < il.Length)
        {
            short value = il[position++];
            if (value == 0xFE)
                value = (short)(0xFE00 | il[position++]);
            if (!OpCodesByValue.TryGetValue(value, out var code))
                yield break;
            var size = code.OperandType switch
            {
                OperandType.InlineNone => 0,
                OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
                OperandType.InlineVar => 2,
                OperandType.InlineI8 or OperandType.InlineR => 8,
                OperandType.InlineSwitch => 4 + (4 * BitConverter.ToInt32(il, position)),
                _ => 4,
            };
            if (code.OperandType is OperandType.InlineMethod or OperandType.InlineField or OperandType.InlineType or OperandType.InlineTok)
            {
                MemberInfo? member = null;
                try
                {
                    member = type.Module.ResolveMember(BitConverter.ToInt32(il, position), typeArguments, methodArguments);
                }
                catch (ArgumentException)
                {
                    // A token of a generic context this scan does not reconstruct; what it names is found elsewhere too.
                }
                if (member is not null)
                    yield return member;
            }
            position += size;
        }
    }

    private static void AddMember(List<Type> found, MemberInfo member)
    {
        switch (member)
        {
            case Type type:
                Add(found, type);
                break;
            case FieldInfo field:
                Add(found, field.DeclaringType);
                Add(found, field.FieldType);
                break;
            case MethodInfo method:
                Add(found, method.DeclaringType);
                Add(found, method.ReturnType);
                if (method.IsGenericMethod)
                {
                    foreach (var argument in method.GetGenericArguments())
                        Add(found, argument);
                }
                break;
            case ConstructorInfo constructor:
                Add(found, constructor.DeclaringType);
                break;
        }
    }

    private static void Add(List<Type> found, Type? type)
    {
        if (type is null || type.IsGenericParameter)
            return;
        if (type.HasElementType)
        {
            Add(found, type.GetElementType());
            return;
        }
        if (type.IsGenericType)
        {
            if (!type.IsGenericTypeDefinition)
            {
                foreach (var argument in type.GetGenericArguments())
                    Add(found, argument);
            }
            found.Add(type.GetGenericTypeDefinition());
            return;
        }
        found.Add(type);
    }
}
