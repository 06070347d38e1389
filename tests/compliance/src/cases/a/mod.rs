//! Cases of the first half of the Go port, in its order.

mod collections;
pub(crate) mod interfaces;
mod overrides;
mod structs;
mod values;

use crate::harness::Case;

pub fn cases() -> Vec<Case> {
    vec![
        Case::run("TestUseNestedStruct", structs::use_nested_struct),
        Case::run(
            "TestStaticMapInClassCanBeReadCorrectly",
            collections::static_map_in_class_can_be_read_correctly,
        ),
        Case::run(
            "TestTestNativeObjectsWithInterfaces",
            interfaces::native_objects_with_interfaces,
        ),
        Case::run("TestMaps", collections::maps),
        Case::run("TestDates", values::dates),
        Case::run("TestNodeStandardLibrary", values::node_standard_library),
        Case::run("TestDynamicTypes", values::dynamic_types),
        Case::run(
            "TestArrayReturnedByMethodCanBeRead",
            collections::array_returned_by_method_can_be_read,
        ),
        Case::run("TestUnionProperties", values::union_properties),
        Case::run(
            "TestUseEnumFromScopedModule",
            values::use_enum_from_scoped_module,
        ),
        Case::run(
            "TestCreateObjectAndCtorOverloads",
            values::create_object_and_ctor_overloads,
        ),
        Case::run("TestGetAndSetEnumValues", values::get_and_set_enum_values),
        Case::run(
            "TestListInClassCanBeReadCorrectly",
            collections::list_in_class_can_be_read_correctly,
        ),
        Case::run(
            "TestTestFluentApiWithDerivedClasses",
            overrides::fluent_api_with_derived_classes,
        ),
        Case::run("TestCanLoadEnumValues", values::can_load_enum_values),
        Case::run(
            "TestCollectionOfInterfaces_ListOfStructs",
            collections::collection_of_interfaces_list_of_structs,
        ),
        Case::run(
            "TestDoNotOverridePrivates_property_getter_public",
            overrides::do_not_override_privates_property_getter_public,
        ),
        Case::run(
            "TestEqualsIsResistantToPropertyShadowingResultVariable",
            structs::equals_is_resistant_to_property_shadowing_result_variable,
        ),
        Case::run(
            "TestCanOverrideProtectedGetter",
            overrides::can_override_protected_getter,
        ),
        Case::run(
            "TestInterfacesCanBeUsedTransparently_WhenAddedToJsiiType",
            interfaces::interfaces_can_be_used_transparently_when_added_to_jsii_type,
        ),
        Case::run(
            "TestStructs_nonOptionalequals",
            structs::structs_non_optional_equals,
        ),
        Case::run(
            "TestTestInterfaceParameter",
            interfaces::interface_parameter,
        ),
        Case::run(
            "TestLiftedKwargWithSameNameAsPositionalArg",
            structs::lifted_kwarg_with_same_name_as_positional_arg,
        ),
        Case::run(
            "TestCreationOfNativeObjectsFromJavaScriptObjects",
            overrides::creation_of_native_objects_from_javascript_objects,
        ),
        Case::run(
            "TestStructs_ReturnedLiteralEqualsNativeBuilt",
            structs::structs_returned_literal_equals_native_built,
        ),
        Case::run(
            "TestClassesCanSelfReferenceDuringClassInitialization",
            interfaces::classes_can_self_reference_during_class_initialization,
        ),
        Case::run(
            "TestCanObtainStructReferenceWithOverloadedSetter",
            structs::can_obtain_struct_reference_with_overloaded_setter,
        ),
        Case::run(
            "TestCallbacksCorrectlyDeserializeArguments",
            overrides::callbacks_correctly_deserialize_arguments,
        ),
        Case::run(
            "TestCanUseInterfaceSetters",
            interfaces::can_use_interface_setters,
        ),
        Case::run(
            "TestPropertyOverrides_Interfaces",
            interfaces::property_overrides_interfaces,
        ),
        Case::run("TestTestJsiiAgent", values::jsii_agent),
        Case::run(
            "TestDoNotOverridePrivates_Method_Private",
            overrides::do_not_override_privates_method_private,
        ),
        Case::run(
            "TestPureInterfacesCanBeUsedTransparently",
            interfaces::pure_interfaces_can_be_used_transparently,
        ),
        Case::run(
            "TestNullShouldBeTreatedAsUndefined",
            values::null_should_be_treated_as_undefined,
        ),
        Case::run(
            "TestCanOverrideProtectedMethod",
            overrides::can_override_protected_method,
        ),
        Case::run("TestEraseUnsetDataValues", values::erase_unset_data_values),
        Case::not_applicable(
            "TestStructs_containsNullChecks",
            "required struct fields are checked at compile time: MyFirstStruct's builder has no \
             build() until anumber and astring are set, and the fields are not Options",
        ),
        Case::run(
            "TestUnionPropertiesWithBuilder",
            values::union_properties_with_builder,
        ),
        Case::run(
            "TestTestNullIsAValidOptionalMap",
            collections::null_is_a_valid_optional_map,
        ),
        Case::run(
            "TestMapReturnedByMethodCanBeRead",
            collections::map_returned_by_method_can_be_read,
        ),
        Case::run(
            "TestAbstractMembersAreCorrectlyHandled",
            overrides::abstract_members_are_correctly_handled,
        ),
        Case::run(
            "TestCanOverrideProtectedSetter",
            overrides::can_override_protected_setter,
        ),
        Case::run(
            "TestObjRefsAreLabelledUsingWithTheMostCorrectType",
            interfaces::obj_refs_are_labelled_using_with_the_most_correct_type,
        ),
        Case::run("TestStructs_StepBuilders", structs::structs_step_builders),
        Case::run(
            "TestStaticListInClassCannotBeModified",
            collections::static_list_in_class_cannot_be_modified,
        ),
        Case::run(
            "TestStructsAreUndecoratedOntheWayToKernel",
            structs::structs_are_undecorated_on_the_way_to_kernel,
        ),
        Case::run("TestReturnAbstract", interfaces::return_abstract),
    ]
}
