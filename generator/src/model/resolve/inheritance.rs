//! Inheritance: bases from both directions of the prose (a derived page naming its base,
//! a base page listing what derives from it), base properties copied down, an `AnyX`
//! enum for each base type, and boxes where types would contain themselves.

use super::*;

impl Resolver<'_> {
    /// A base page that lists the types deriving from it ("a base class for [x](x.md)")
    /// gives them their base when their own page names none; when it names another,
    /// the derived page wins and the disagreement is a finding.
    pub(super) fn bases_from_base_pages(&mut self, bases: &mut BTreeMap<usize, usize>) {
        let pages = self.pages;
        for page in pages.iter().filter(|p| !p.derived.is_empty()) {
            let Some(&Named::Struct(base)) = self.by_file.get(&page.file.to_lowercase()) else {
                continue;
            };
            for mention in &page.derived {
                let Some(Named::Struct(derived)) = self.lookup(mention) else {
                    continue;
                };
                match bases.get(&derived) {
                    None if derived != base => {
                        bases.insert(derived, base);
                    }
                    Some(&other) if other != base => self.diagnostics.report(
                        mention.source.clone(),
                        Code::BaseType,
                        format!(
                            "this page says `{}` derives from `{}`; its own page says `{}`",
                            self.types[derived].wire_name,
                            self.types[base].wire_name,
                            self.types[other].wire_name
                        ),
                        "make the two pages name the same base type",
                    ),
                    _ => {}
                }
            }
        }
    }

    /// Copies each base's properties (its own bases first) into the derived type. A
    /// cycle is reported and broken where it closes.
    pub(super) fn inherit(&mut self, bases: &BTreeMap<usize, usize>) {
        let mut done: HashMap<usize, Vec<Property>> = HashMap::default();
        for &start in bases.keys() {
            let mut chain = vec![start];
            let mut current = start;
            while let Some(&base) = bases.get(&current) {
                if chain.contains(&base) {
                    let t = &self.types[current];
                    self.diagnostics.report(
                        t.source.clone(),
                        Code::BaseType,
                        format!(
                            "`{}` inherits from `{}`, which inherits from it: a cycle",
                            t.wire_name, self.types[base].wire_name
                        ),
                        "make the inheritance a tree",
                    );
                    break;
                }
                chain.push(base);
                current = base;
            }
            // Root first: each type gets its base's (already complete) properties.
            for pair in chain.windows(2).rev() {
                let (derived, base) = (pair[0], pair[1]);
                if done.contains_key(&derived) {
                    continue;
                }
                let inherited = done
                    .get(&base)
                    .cloned()
                    .unwrap_or_else(|| self.types[base].properties.clone());
                let own = std::mem::take(&mut self.types[derived].properties);
                let mut scope = Scope::default();
                scope.reserve(ODATA_TYPE_FIELD);
                scope.reserve(ADDITIONAL_FIELD);
                let mut merged: Vec<Property> = Vec::new();
                for mut property in inherited.into_iter().chain(own) {
                    if let Some(existing) = merged
                        .iter_mut()
                        .find(|p| p.wire_name == property.wire_name)
                    {
                        // The derived page's row wins: it is the more specific documentation.
                        property.rust_name = existing.rust_name.clone();
                        *existing = property;
                    } else {
                        property.rust_name = scope.claim(&property.wire_name, Case::Snake);
                        merged.push(property);
                    }
                }
                self.types[derived].base = Some(self.name_of(base));
                self.types[derived].properties = merged.clone();
                done.insert(derived, merged);
            }
        }
    }

    /// Gives every type with derived types its enum (`AnyX`), every type its
    /// `@odata.type`, and every reference to a base type the enum.
    pub(super) fn polymorphism(&mut self) {
        let namespace = self.namespace();
        let mut children: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for (i, t) in self.types.iter().enumerate() {
            if let Some(Named::Struct(base)) = t.base.as_deref().and_then(|b| self.lookup_name(b)) {
                children.entry(base).or_default().push(i);
            }
        }
        for i in 0..self.types.len() {
            // Depth first; `seen` ends a cycle (already reported by `inherit`).
            let mut seen: HashSet<usize> = [i].into_iter().collect();
            let mut pending = children.get(&i).cloned().unwrap_or_default();
            while let Some(next) = pending.pop() {
                if seen.insert(next) {
                    pending.extend(children.get(&next).into_iter().flatten());
                }
            }
            seen.remove(&i);
            let mut derived: Vec<String> = seen
                .iter()
                .map(|&d| self.types[d].rust_name.clone())
                .collect();
            derived.sort();
            let t = &mut self.types[i];
            if t.odata_type.is_empty() {
                t.odata_type = format!("#{namespace}{}", t.wire_name);
            }
            if !derived.is_empty() {
                t.any_name = Some(
                    self.type_scope
                        .claim(&format!("Any {}", t.rust_name), Case::Pascal),
                );
                t.derived = derived;
            }
        }
        let any_names: HashMap<String, String> = self
            .types
            .iter()
            .filter_map(|t| Some((t.rust_name.clone(), t.any_name.clone()?)))
            .collect();
        for t in &mut self.types {
            for p in &mut t.properties {
                set_any_name(&mut p.ty, &any_names);
            }
        }
    }

    /// Struct fields that refer (not through a collection) to a type that refers back
    /// would make an infinitely large type: those are boxed.
    pub(super) fn box_cycles(&mut self) {
        let edges: Vec<Vec<usize>> = self
            .types
            .iter()
            .map(|t| {
                t.properties
                    .iter()
                    .filter_map(|p| match &p.ty {
                        // An `AnyX` enum boxes its variants: no cycle goes through it.
                        TypeRef::Struct {
                            rust_name,
                            any_name: None,
                            ..
                        } => self.by_rust.get(rust_name).copied(),
                        _ => None,
                    })
                    .collect()
            })
            .collect();
        let component = strongly_connected(&edges);
        for (owner, t) in self.types.iter_mut().enumerate() {
            for p in &mut t.properties {
                if let TypeRef::Struct {
                    rust_name,
                    any_name: None,
                    ..
                } = &p.ty
                    && let Some(&target) = self.by_rust.get(rust_name)
                {
                    p.boxed = component[target] == component[owner];
                }
            }
        }
    }
}

/// Points references to base types at their `AnyX` enum, at any depth.
pub(super) fn set_any_name(ty: &mut TypeRef, any_names: &HashMap<String, String>) {
    match ty {
        TypeRef::Struct {
            rust_name,
            any_name,
            ..
        } => *any_name = any_names.get(rust_name).cloned(),
        TypeRef::Collection { item } => set_any_name(item, any_names),
        TypeRef::Primitive { .. }
        | TypeRef::Enum { .. }
        | TypeRef::Foreign { .. }
        | TypeRef::Json => {}
    }
}
