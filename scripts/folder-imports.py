#!/usr/bin/env python3
"""Maps which folders of a project import which, and prints every import cycle.

A folder imports another when one of its files has `using <Root>.<Other>;` (the namespace of that folder) or,
more strictly, when it names a type declared there (also through a parent namespace, which C# makes visible
without a using, or a file whose namespace differs from its folder, such as an extension class).
Exit code 1 when either graph has a cycle, or when the project's README lists its folders (section
"## Folders", lines "- `Name/`") in an order where a folder imports one listed before it.

usage: python3 scripts/folder-imports.py [project-dir] [root-namespace]
(the project defaults to the gateway; the root namespace to the project's <RootNamespace>, else its folder name)
"""
import os
import re
import sys

project = sys.argv[1] if len(sys.argv) > 1 else "gateway/InferenceCluster.Gateway"


def root_namespace(project_dir):
    """The namespace of the project's top folder: a wrong one would make every type look visible everywhere."""
    for name in sorted(os.listdir(project_dir)):
        if name.endswith(".csproj"):
            declared = re.search(r"<RootNamespace>\s*([\w.]+)\s*</RootNamespace>", open(os.path.join(project_dir, name), encoding="utf-8").read())
            if declared:
                return declared.group(1)
    return os.path.basename(os.path.normpath(project_dir))


root = sys.argv[2] if len(sys.argv) > 2 else root_namespace(project)

files = []
for base, dirs, names in os.walk(project):
    dirs[:] = [d for d in dirs if d not in ("bin", "obj")]
    files += [os.path.join(base, n) for n in names if n.endswith(".cs")]

namespace_re = re.compile(r"^namespace\s+([\w.]+)", re.M)
using_re = re.compile(r"^using\s+(?:static\s+)?([\w.]+)\s*;", re.M)
type_re = re.compile(r"\b(?:class|struct|record|interface|enum|delegate\s+[\w<>?,\s]+?)\s+([A-Z]\w*)")
strip_re = re.compile(r'//[^\n]*|/\*.*?\*/|@"(?:[^"]|"")*"|"(?:\\.|[^"\\\n])*"', re.S)

def folder(path):
    relative = os.path.relpath(os.path.dirname(path), project)
    return "(root)" if relative == "." else relative.replace(os.sep, "/")

def short(ns):
    return ns[len(root) + 1:].replace(".", "/") if ns.startswith(root + ".") else "(root)"

sources = {}
declared = {}  # type name -> set of namespaces declaring it
for path in files:
    text = open(path, encoding="utf-8").read()
    match = namespace_re.search(text)
    ns = match.group(1) if match else root
    code = strip_re.sub(" ", text)
    sources[path] = (ns, text, code)
    for name in type_re.findall(code):
        declared.setdefault(name, set()).add((ns, folder(path)))

using_graph, type_graph = {}, {}
for path, (ns, text, code) in sources.items():
    node = folder(path)
    usings = [u for u in using_re.findall(text) if u.startswith(root + ".")]
    for u in usings:
        if short(u) != node:
            using_graph.setdefault(node, {}).setdefault(short(u), set()).add(os.path.relpath(path, project))
    visible = set(usings)
    parts = ns.split(".")
    visible |= {".".join(parts[:i]) for i in range(2, len(parts) + 1)}
    for word in set(re.findall(r"\b[A-Z]\w*\b", code)):
        for owner, place in declared.get(word, ()):
            qualified = re.search(r"\b" + re.escape(owner) + r"\." + word + r"\b", code)
            if place != node and (owner in visible or qualified or not owner.startswith(root)):
                type_graph.setdefault(node, {}).setdefault(place, set()).add(word)

def cycles(graph):
    """Strongly connected components with more than one folder (Tarjan)."""
    index, low, stack, on, found, counter = {}, {}, [], set(), [], [0]
    def visit(v):
        index[v] = low[v] = counter[0]; counter[0] += 1
        stack.append(v); on.add(v)
        for w in graph.get(v, {}):
            if w not in index:
                visit(w); low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop(); on.discard(w); component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))
    for v in list(graph):
        if v not in index:
            visit(v)
    return found

status = 0
for title, graph, detail in (("using directives", using_graph, "files"), ("types named", type_graph, "types")):
    print(f"== {title}: folder -> folders it imports")
    for node in sorted(graph):
        print(f"  {node} -> {', '.join(sorted(graph[node]))}")
    found = cycles(graph)
    if not found:
        print(f"  no cycle ({len(graph)} folders import others)")
    for component in found:
        status = 1
        print(f"  CYCLE among {', '.join(component)}:")
        for a in component:
            for b in component:
                if b in graph.get(a, {}):
                    print(f"    {a} -> {b} ({detail}: {', '.join(sorted(graph[a][b]))})")
readme = os.path.join(project, "README.md")
if os.path.exists(readme):
    text = open(readme, encoding="utf-8").read()
    section = text.split("## Folders", 1)[1].split("\n## ", 1)[0] if "## Folders" in text else ""
    order = re.findall(r"^- `([\w/]+)/`", section, re.M)
    if order:
        print("== README folder order (each folder may import only folders listed after it)")
        place = {name: i for i, name in enumerate(order)}
        bad = sorted({(a, b) for graph in (using_graph, type_graph) for a, targets in graph.items() for b in targets
                      if a in place and b in place and place[b] < place[a]})
        for a, b in bad:
            print(f"  {a} imports {b}, listed before it")
        unlisted = sorted({folder(p) for p in sources} - set(place) - {"(root)"} - {f for f in map(folder, sources) if f.split("/")[0] in place})
        for name in unlisted:
            print(f"  {name}/ is not listed")
        if bad or unlisted:
            status = 1
        else:
            print(f"  holds ({len(order)} folders)")
sys.exit(status)
