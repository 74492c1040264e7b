# A tiny stand-in for nixpkgs `lib`, just enough to evaluate the DPlaneOS
# modules without a nixpkgs checkout. Properties (mkIf, mkMerge, mkOverride)
# have the same shape as the real ones so tests/eval-modules.nix can merge
# definitions like the NixOS module system does.
let
  b = builtins;
  mkOverride = priority: content: { _type = "override"; inherit priority content; };
  foldl = b.foldl';
  mkType = name: extra: { _type = "type"; inherit name; } // extra;
in
rec {
  inherit (b) elem attrNames attrValues concatLists filter head tail length
    toJSON fromJSON isAttrs isList isString isBool isInt isFunction;

  mkOption = attrs: { _type = "option"; } // attrs;
  mkEnableOption = name: mkOption {
    type = types.bool; default = false; description = "Whether to enable ${name}.";
  };
  mkIf = condition: content: { _type = "if"; inherit condition content; };
  mkMerge = contents: { _type = "merge"; inherit contents; };
  inherit mkOverride;
  mkDefault = mkOverride 1000;
  mkForce = mkOverride 50;
  mkOptionDefault = mkOverride 1500;
  mkBefore = x: x;
  mkAfter = x: x;
  literalExpression = text: { _type = "literalExpression"; inherit text; };
  mdDoc = x: x;

  types = rec {
    bool = mkType "bool" { };
    str = mkType "str" { };
    lines = mkType "lines" { };
    int = mkType "int" { };
    port = mkType "port" { };
    path = mkType "path" { };
    package = mkType "package" { };
    attrs = mkType "attrs" { };
    anything = mkType "anything" { };
    listOf = t: mkType "listOf" { elemType = t; };
    attrsOf = t: mkType "attrsOf" { elemType = t; };
    nullOr = t: mkType "nullOr" { elemType = t; };
    enum = values: mkType "enum" { inherit values; };
    strMatching = re: mkType "strMatching" { inherit re; };
    submodule = m: mkType "submodule" { module = m; };
  };

  optional = c: x: if c then [ x ] else [ ];
  optionals = c: xs: if c then xs else [ ];
  optionalString = c: s: if c then s else "";
  optionalAttrs = c: a: if c then a else { };
  concatStringsSep = b.concatStringsSep;
  concatMapStringsSep = sep: f: xs: b.concatStringsSep sep (map f xs);
  concatMapStrings = f: xs: b.concatStringsSep "" (map f xs);
  hasPrefix = p: s: b.substring 0 (b.stringLength p) s == p;
  hasInfix = infix: s: b.match ".*${escapeRegex infix}.*" s != null;
  escapeRegex = s: b.replaceStrings
    [ "\\" "." "*" "+" "?" "(" ")" "[" "]" "{" "}" "|" "^" "$" ]
    [ "\\\\" "\\." "\\*" "\\+" "\\?" "\\(" "\\)" "\\[" "\\]" "\\{" "\\}" "\\|" "\\^" "\\$" ] s;
  escapeShellArg = s: "'${b.replaceStrings [ "'" ] [ "'\\''" ] (toString s)}'";
  escapeShellArgs = xs: b.concatStringsSep " " (map escapeShellArg xs);
  makeBinPath = ps: b.concatStringsSep ":" (map (p: "${toString p}/bin") ps);
  mapAttrs = b.mapAttrs;
  mapAttrsToList = f: a: map (n: f n a.${n}) (b.attrNames a);
  filterAttrs = pred: a: b.listToAttrs (map (n: { name = n; value = a.${n}; })
    (b.filter (n: pred n a.${n}) (b.attrNames a)));
  genAttrs = names: f: b.listToAttrs (map (n: { name = n; value = f n; }) names);
  any = b.any;
  all = b.all;
  unique = foldl (acc: x: if b.elem x acc then acc else acc ++ [ x ]) [ ];
  getExe = p: "${toString p}/bin/${p.meta.mainProgram or p.pname or "unknown"}";
  getExe' = p: name: "${toString p}/bin/${name}";
  versions.majorMinor = v:
    let m = b.match "([0-9]+)\\.([0-9]+).*" v;
    in "${b.elemAt m 0}.${b.elemAt m 1}";
  versionAtLeast = v1: v2: b.compareVersions v1 v2 >= 0;
  recursiveUpdate = l: r: l // b.mapAttrs
    (n: v: if b.isAttrs v && l ? ${n} && b.isAttrs l.${n} then recursiveUpdate l.${n} v else v) r;
}
