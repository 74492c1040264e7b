# Minimal NixOS-style module evaluator for tests (no nixpkgs needed).
#
# It loads modules (paths, functions or attrsets, following `imports`),
# collects option defaults (priority 1500) and definitions, and merges them
# into `config` as a lazy fixpoint. Like the real module system it pushes
# mkIf/mkOverride down into attribute sets *before* evaluating conditions,
# so `config = mkIf cfg.enable { ... }` works without infinite recursion.
# Leaves: lowest priority number wins; lists concatenate; equal values
# collapse; anything else is a "conflicting definitions" error.
{ modules
, pkgs ? import ./stub-pkgs.nix { }
, lib ? import ./stub-lib.nix
, specialArgs ? { }
}:
let
  b = builtins;

  isProp = v: b.isAttrs v && b.elem (v._type or null) [ "if" "merge" "override" ];
  isDrv = v: b.isAttrs v && (v.type or null) == "derivation";
  isPlainAttrs = v: b.isAttrs v && !isDrv v && !(v ? _type);

  args = { inherit config lib pkgs; options = { }; modulesPath = "/stub/modules"; } // specialArgs;

  load = m: if b.isPath m || b.isString m then import m else m;
  call = m: let v = load m; in if b.isFunction v then v args else v;
  expand = m: let r = call m; in [ r ] ++ b.concatMap expand (r.imports or [ ]);

  base = {
    assertions = [ ];
    warnings = [ ];
    users.users = { };
  };
  evaluated = [ base ] ++ b.concatMap expand modules;

  isStructured = r: r ? config || r ? options;
  defsOf = r:
    if isStructured r then (r.config or { })
    else removeAttrs r [ "imports" "_file" "meta" "disabledModules" "key" ];

  defaultsOf = opts: b.listToAttrs (b.concatMap
    (n:
      let v = opts.${n}; in
      if (v._type or null) == "option" then
        (if v ? default then [{ name = n; value = lib.mkOverride 1500 v.default; }] else [ ])
      else if b.isAttrs v then [{ name = n; value = defaultsOf v; }]
      else [ ])
    (b.attrNames opts));

  wrapAll = f: sets: if sets == null then null else map (s: b.mapAttrs (_: f) s) sets;

  # def -> list of plain attrsets (properties pushed into children), or null
  pushDown = def:
    if isProp def then
      if def._type == "merge" then
        let parts = map pushDown def.contents;
        in if b.any (p: p == null) parts then null else b.concatLists parts
      else if def._type == "if" then wrapAll (c: lib.mkIf def.condition c) (pushDown def.content)
      else wrapAll (c: lib.mkOverride def.priority c) (pushDown def.content)
    else if isPlainAttrs def then [ def ]
    else null;

  mergeNode = path: defs:
    let pushed = map pushDown defs; in
    if defs != [ ] && b.all (p: p != null) pushed then
      let
        sets = b.concatLists pushed;
        names = lib.unique (b.concatMap b.attrNames sets);
      in
      b.listToAttrs (map
        (n: {
          name = n;
          value = mergeNode (path ++ [ n ]) (b.concatMap (s: if s ? ${n} then [ s.${n} ] else [ ]) sets);
        })
        names)
    else mergeLeaf path defs;

  flatten = prio: def:
    if isProp def then
      if def._type == "merge" then b.concatMap (flatten prio) def.contents
      else if def._type == "if" then (if def.condition then flatten prio def.content else [ ])
      else flatten def.priority def.content
    else [{ priority = prio; value = def; }];

  mergeLeaf = path: defs:
    let
      flat = b.concatMap (flatten 100) defs;
      best = b.foldl' (m: d: if d.priority < m then d.priority else m) 99999 flat;
      winners = map (d: d.value) (b.filter (d: d.priority == best) flat);
      where = b.concatStringsSep "." path;
    in
    if winners == [ ] then throw "option ${where} is used but not defined"
    else if b.all b.isList winners then b.concatLists winners
    else if b.length winners > 1 && b.all isPlainAttrs winners then mergeNode path winners
    else if b.all (w: w == b.head winners) winners then b.head winners
    else throw "conflicting definitions for ${where}";

  declarations = map (r: if isStructured r then defaultsOf (r.options or { }) else { }) evaluated;

  config = mergeNode [ ] (declarations ++ map defsOf evaluated);
in
{
  inherit config;
  failedAssertions = map (a: a.message) (b.filter (a: !a.assertion) config.assertions);
  warnings = config.warnings;
}
